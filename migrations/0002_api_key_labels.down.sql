-- Reverts 0002_api_key_labels.

DROP INDEX refresh_tokens_revoked_at_idx;

ALTER TABLE api_keys DROP CONSTRAINT api_keys_label_check;
ALTER TABLE api_keys DROP COLUMN label;

-- 0002_api_key_labels: a name for each API key, chosen by its owner (shown by `gekko key list`),
-- and an index for the gateway nodes' periodic read of recently revoked logins
-- (refresh-token families revoked within the last access-token lifetime).

ALTER TABLE api_keys ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD CONSTRAINT api_keys_label_check CHECK (length(label) <= 64);

CREATE INDEX refresh_tokens_revoked_at_idx ON refresh_tokens (revoked_at) WHERE revoked_at IS NOT NULL;

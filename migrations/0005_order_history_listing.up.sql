-- 0005_order_history_listing: ListOrders and GetOrder by order id serve archived orders too
-- (gateway/services/order-listing.ts). The order id and creation time are read from the archived
-- order itself (stored generated columns, so the archive's INSERT stays as it is), and one index
-- serves the newest-first pages of an account and one the lookup by order id.

ALTER TABLE order_history
  ADD COLUMN order_id UUID GENERATED ALWAYS AS ((tracked -> 'order' ->> 'id')::UUID) STORED,
  ADD COLUMN created_ms INT8 GENERATED ALWAYS AS ((tracked -> 'order' ->> 'createdAt')::INT8) STORED;
CREATE INDEX order_history_listing_idx ON order_history (account_id, created_ms DESC, order_id);
CREATE INDEX order_history_order_id_idx ON order_history (account_id, order_id);

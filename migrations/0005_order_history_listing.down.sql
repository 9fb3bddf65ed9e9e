-- Reverts 0005_order_history_listing: ListOrders then lists only the orders the order manager keeps
-- in memory.

DROP INDEX order_history_order_id_idx;
DROP INDEX order_history_listing_idx;
ALTER TABLE order_history DROP COLUMN created_ms, DROP COLUMN order_id;

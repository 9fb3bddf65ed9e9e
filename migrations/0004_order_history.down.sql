-- Reverts 0004_order_history. Order managers then keep finished orders only in memory (and their
-- journal); the ids written here no longer count for idempotency.

DROP TABLE order_history;

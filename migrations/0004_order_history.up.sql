-- 0004_order_history: finished orders an order manager no longer keeps in memory
-- (actors/orders/order-history.ts). A finished order is written here, and only once that write has
-- committed does the manager journal that it leaves memory, so every order ever placed is either in
-- the manager's state or here: a repeated client order id finds it (idempotency is permanent) and
-- GetOrder serves it. The row is the order as the manager tracked it, in the journal's JSON form
-- (decimals as exact text). Finished orders never change again, so a rewrite is the same row.

CREATE TABLE order_history (
  account_id UUID NOT NULL,
  client_order_id TEXT NOT NULL,
  instrument_id TEXT NOT NULL,
  status TEXT NOT NULL,
  -- When the order last changed (its final event), epoch milliseconds as the manager's clock saw it.
  finished_at TIMESTAMPTZ NOT NULL,
  -- {order, instrument, reservePrice, replaces?} as in the order manager's journal.
  tracked JSONB NOT NULL,
  archived_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT order_history_pkey PRIMARY KEY (account_id, client_order_id),
  CONSTRAINT order_history_status_check CHECK (status IN ('FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED')),
  CONSTRAINT order_history_tracked_check CHECK (jsonb_typeof(tracked) = 'object')
);

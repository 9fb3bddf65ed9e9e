-- 0003_route_plans: the plan of every smart-routed order (nodes/routing.ts), written before any of
-- its child orders is sent. The id is the client's idempotency key for the route: a retry with the
-- same id replays the recorded legs (each child's client order id derives from the plan id and the
-- leg index) and never plans again. Decimals stay exact text inside the JSON.

CREATE TABLE route_plans (
  id UUID NOT NULL,
  user_id UUID NOT NULL,
  -- {base, quote, side, quantity, limitPrice?, accountIds}
  request JSONB NOT NULL,
  -- [{index, accountId, venue, instrumentId, clientOrderId, quantity, limitPrice, expectedNotional, expectedFee}]
  legs JSONB NOT NULL,
  -- {planned, unfilled, unfilledReason?, expectedAveragePrice?, expectedNotional, expectedFees, skipped, bookSequences}
  summary JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT route_plans_pkey PRIMARY KEY (id),
  CONSTRAINT route_plans_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT route_plans_request_check CHECK (jsonb_typeof(request) = 'object'),
  CONSTRAINT route_plans_legs_check CHECK (jsonb_typeof(legs) = 'array'),
  CONSTRAINT route_plans_summary_check CHECK (jsonb_typeof(summary) = 'object')
);
CREATE INDEX route_plans_user_id_created_at_idx ON route_plans (user_id, created_at);

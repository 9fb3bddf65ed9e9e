-- 0001_initial: users and credentials, trading accounts, orders and fills, positions and balances,
-- the actor journal with its activation epochs, and the audit log.
-- CockroachDB-compatible: UUID keys from gen_random_uuid(), TIMESTAMPTZ, NUMERIC for money, JSONB,
-- no sequences as hot keys, no triggers, no advisory locks. Every constraint and index is named.

CREATE TABLE users (
  id UUID NOT NULL DEFAULT gen_random_uuid(),
  email TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  roles TEXT[] NOT NULL DEFAULT ARRAY['trader']::TEXT[],
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  disabled_at TIMESTAMPTZ NULL,
  CONSTRAINT users_pkey PRIMARY KEY (id),
  CONSTRAINT users_email_key UNIQUE (email),
  CONSTRAINT users_email_lowercase_check CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
  CONSTRAINT users_roles_check CHECK (roles <@ ARRAY['viewer', 'trader', 'admin']::TEXT[])
);

CREATE TABLE refresh_tokens (
  id UUID NOT NULL DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL,
  -- All tokens of one login share a family; reuse of a rotated token revokes the whole family.
  family_id UUID NOT NULL,
  token_hash TEXT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  used_at TIMESTAMPTZ NULL,
  revoked_at TIMESTAMPTZ NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  replaced_by UUID NULL,
  CONSTRAINT refresh_tokens_pkey PRIMARY KEY (id),
  CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash),
  CONSTRAINT refresh_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT refresh_tokens_replaced_by_fkey FOREIGN KEY (replaced_by) REFERENCES refresh_tokens (id)
);
CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens (family_id);

CREATE TABLE api_keys (
  id UUID NOT NULL DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL,
  -- The public half shown to the user and sent with requests; the secret is stored only hashed.
  key_id TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  permissions TEXT[] NOT NULL,
  -- NULL: any source address.
  allowed_ips INET[] NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_used_at TIMESTAMPTZ NULL,
  revoked_at TIMESTAMPTZ NULL,
  CONSTRAINT api_keys_pkey PRIMARY KEY (id),
  CONSTRAINT api_keys_key_id_key UNIQUE (key_id),
  CONSTRAINT api_keys_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT api_keys_permissions_check CHECK (
    cardinality(permissions) > 0 AND permissions <@ ARRAY['read', 'trade', 'admin']::TEXT[]
  )
);
CREATE INDEX api_keys_user_id_idx ON api_keys (user_id);

CREATE TABLE accounts (
  id UUID NOT NULL DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL,
  venue TEXT NOT NULL,
  name TEXT NOT NULL,
  -- Venue credentials, AES-256-GCM (persistence/credential-cipher.ts); all NULL for the paper venue.
  credentials_ciphertext BYTEA NULL,
  credentials_iv BYTEA NULL,
  credentials_tag BYTEA NULL,
  credentials_key_version INT4 NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT accounts_pkey PRIMARY KEY (id),
  CONSTRAINT accounts_user_venue_name_key UNIQUE (user_id, venue, name),
  CONSTRAINT accounts_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT accounts_venue_check CHECK (venue ~ '^[a-z][a-z0-9_-]{0,31}$'),
  CONSTRAINT accounts_name_check CHECK (length(name) BETWEEN 1 AND 64),
  CONSTRAINT accounts_credentials_check CHECK (
    (credentials_ciphertext IS NULL AND credentials_iv IS NULL AND credentials_tag IS NULL
      AND credentials_key_version IS NULL)
    OR (credentials_ciphertext IS NOT NULL AND octet_length(credentials_iv) = 12
      AND octet_length(credentials_tag) = 16 AND credentials_key_version >= 1)
  )
);

CREATE TABLE orders (
  id UUID NOT NULL DEFAULT gen_random_uuid(),
  account_id UUID NOT NULL,
  -- Our idempotency key, sent to the venue; persisted before the order is sent.
  client_order_id TEXT NOT NULL,
  venue TEXT NOT NULL,
  venue_order_id TEXT NULL,
  instrument_id TEXT NOT NULL,
  side TEXT NOT NULL,
  type TEXT NOT NULL,
  time_in_force TEXT NOT NULL,
  quantity NUMERIC NOT NULL,
  price NUMERIC NULL,
  stop_price NUMERIC NULL,
  status TEXT NOT NULL DEFAULT 'new',
  filled_quantity NUMERIC NOT NULL DEFAULT 0,
  average_price NUMERIC NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT orders_pkey PRIMARY KEY (id),
  CONSTRAINT orders_account_client_order_id_key UNIQUE (account_id, client_order_id),
  CONSTRAINT orders_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT orders_side_check CHECK (side IN ('buy', 'sell')),
  CONSTRAINT orders_type_check CHECK (type IN ('market', 'limit', 'stop', 'stop_limit')),
  CONSTRAINT orders_time_in_force_check CHECK (time_in_force IN ('gtc', 'ioc', 'fok', 'day')),
  CONSTRAINT orders_status_check CHECK (
    status IN ('new', 'acknowledged', 'partially_filled', 'filled', 'cancelled', 'rejected', 'expired')
  ),
  CONSTRAINT orders_quantity_check CHECK (quantity > 0),
  CONSTRAINT orders_price_check CHECK (price IS NULL OR price > 0),
  CONSTRAINT orders_stop_price_check CHECK (stop_price IS NULL OR stop_price > 0),
  CONSTRAINT orders_price_required_check CHECK (type NOT IN ('limit', 'stop_limit') OR price IS NOT NULL),
  CONSTRAINT orders_stop_price_required_check CHECK (type NOT IN ('stop', 'stop_limit') OR stop_price IS NOT NULL),
  CONSTRAINT orders_filled_quantity_check CHECK (filled_quantity >= 0 AND filled_quantity <= quantity),
  CONSTRAINT orders_average_price_check CHECK (average_price IS NULL OR average_price > 0)
);
CREATE UNIQUE INDEX orders_venue_order_id_key ON orders (venue, venue_order_id) WHERE venue_order_id IS NOT NULL;
CREATE INDEX orders_account_status_idx ON orders (account_id, status);

CREATE TABLE fills (
  id UUID NOT NULL DEFAULT gen_random_uuid(),
  order_id UUID NOT NULL,
  account_id UUID NOT NULL,
  venue TEXT NOT NULL,
  trade_id TEXT NOT NULL,
  quantity NUMERIC NOT NULL,
  price NUMERIC NOT NULL,
  -- Negative for a maker rebate.
  fee NUMERIC NOT NULL DEFAULT 0,
  fee_currency TEXT NOT NULL,
  liquidity TEXT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT fills_pkey PRIMARY KEY (id),
  CONSTRAINT fills_venue_order_trade_key UNIQUE (venue, order_id, trade_id),
  CONSTRAINT fills_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id),
  CONSTRAINT fills_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT fills_quantity_check CHECK (quantity > 0),
  CONSTRAINT fills_price_check CHECK (price > 0),
  CONSTRAINT fills_liquidity_check CHECK (liquidity IS NULL OR liquidity IN ('maker', 'taker'))
);
CREATE INDEX fills_order_id_idx ON fills (order_id);
CREATE INDEX fills_account_occurred_at_idx ON fills (account_id, occurred_at);

CREATE TABLE positions (
  account_id UUID NOT NULL,
  venue TEXT NOT NULL,
  instrument_id TEXT NOT NULL,
  -- Signed: negative is short.
  quantity NUMERIC NOT NULL DEFAULT 0,
  -- NULL while flat.
  average_price NUMERIC NULL,
  realized_pnl NUMERIC NOT NULL DEFAULT 0,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT positions_pkey PRIMARY KEY (account_id, venue, instrument_id),
  CONSTRAINT positions_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT positions_average_price_check CHECK (average_price IS NULL OR average_price > 0)
);

CREATE TABLE balances (
  account_id UUID NOT NULL,
  venue TEXT NOT NULL,
  asset TEXT NOT NULL,
  total NUMERIC NOT NULL,
  available NUMERIC NOT NULL,
  locked NUMERIC NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT balances_pkey PRIMARY KEY (account_id, venue, asset),
  CONSTRAINT balances_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT balances_available_check CHECK (available >= 0),
  CONSTRAINT balances_locked_check CHECK (locked >= 0),
  CONSTRAINT balances_total_check CHECK (total = available + locked)
);

-- Event-sourced actors. A journal write carries the writer's activation epoch and is refused by the
-- statement itself when a newer activation exists (docs/persistence.md, "Epoch-fenced journal").
CREATE TABLE actor_journal (
  identity TEXT NOT NULL,
  sequence_nr INT8 NOT NULL,
  epoch INT8 NOT NULL,
  event_type TEXT NOT NULL,
  -- Protobuf-encoded event (proto/ninja/v1).
  payload BYTEA NOT NULL,
  correlation_id TEXT NULL,
  written_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT actor_journal_pkey PRIMARY KEY (identity, sequence_nr),
  CONSTRAINT actor_journal_sequence_nr_check CHECK (sequence_nr >= 1),
  CONSTRAINT actor_journal_epoch_check CHECK (epoch >= 0)
);

CREATE TABLE actor_snapshots (
  identity TEXT NOT NULL,
  sequence_nr INT8 NOT NULL,
  epoch INT8 NOT NULL,
  payload BYTEA NOT NULL,
  written_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT actor_snapshots_pkey PRIMARY KEY (identity, sequence_nr),
  CONSTRAINT actor_snapshots_sequence_nr_check CHECK (sequence_nr >= 1),
  CONSTRAINT actor_snapshots_epoch_check CHECK (epoch >= 0)
);

-- The current activation epoch of each identity; a new activation increments it.
CREATE TABLE actor_activations (
  identity TEXT NOT NULL,
  epoch INT8 NOT NULL,
  node_id TEXT NOT NULL,
  activated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT actor_activations_pkey PRIMARY KEY (identity),
  CONSTRAINT actor_activations_epoch_check CHECK (epoch >= 0)
);

CREATE TABLE audit_log (
  id UUID NOT NULL DEFAULT gen_random_uuid(),
  occurred_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- No foreign key: the audit trail outlives the users it mentions.
  actor_user_id UUID NULL,
  -- Who acted: 'user', 'api_key:<key_id>', 'system', 'node:<node_id>'.
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NULL,
  details JSONB NOT NULL DEFAULT '{}'::JSONB,
  correlation_id TEXT NULL,
  CONSTRAINT audit_log_pkey PRIMARY KEY (id)
);
CREATE INDEX audit_log_occurred_at_idx ON audit_log (occurred_at);
CREATE INDEX audit_log_actor_user_occurred_at_idx ON audit_log (actor_user_id, occurred_at);

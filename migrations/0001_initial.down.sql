-- Reverts 0001_initial: drops every table it created, dependents first. No CASCADE, so an object
-- added outside the migrations makes this fail loudly instead of vanishing with it.
DROP TABLE audit_log;
DROP TABLE actor_activations;
DROP TABLE actor_snapshots;
DROP TABLE actor_journal;
DROP TABLE balances;
DROP TABLE positions;
DROP TABLE fills;
DROP TABLE orders;
DROP TABLE accounts;
DROP TABLE api_keys;
DROP TABLE refresh_tokens;
DROP TABLE users;

-- API keys of the api-server. A key is shown once when it is created; only its SHA-256 hash is
-- kept (keys are 256 random bits, so a fast hash is as safe as a slow one and costs nothing per
-- request). key_prefix is the start of the key, for people to tell keys apart in listings.
CREATE TABLE api_keys (
    id         uuid        PRIMARY KEY,
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    key_prefix text        NOT NULL,
    key_hash   bytea       NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    -- What the key may do (tasks:submit, tasks:read, …, admin); see SECURITY.md.
    scopes     text[]      NOT NULL,
    -- The task types the key reaches; NULL reaches every type.
    task_types text[],
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text        NOT NULL,
    expires_at timestamptz,
    revoked_at timestamptz,
    revoked_by text
);

CREATE INDEX api_keys_created_idx ON api_keys (created_at DESC);

-- The key's name is its caller's name in audit rows ("key:<name>"), so no two active keys share one.
CREATE UNIQUE INDEX api_keys_active_name_idx ON api_keys (name) WHERE revoked_at IS NULL;

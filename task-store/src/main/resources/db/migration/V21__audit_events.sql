-- Audit of operator actions other than dead-letter replays (those keep dlq_replays): stuck-task
-- resets and the creation and revocation of API keys. principal is the authenticated caller.
CREATE TABLE audit_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    principal   text        NOT NULL,
    action      text        NOT NULL,
    subject     text,
    detail      jsonb       NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_events_occurred_idx ON audit_events (occurred_at DESC);

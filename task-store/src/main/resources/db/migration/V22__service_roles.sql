-- Each service may connect with a login role of its own that holds only the privileges it needs,
-- instead of the owner of the database (deploy/base/postgres/20-service-roles.sh creates them when
-- the database is initialised; SECURITY.md describes them):
--   ts_api_server   tasks, schedules, keys and audit rows, dead-letter replays
--   ts_worker       claiming and finishing tasks, their attempts
--   ts_outbox_relay reading the outbox through its replication slot (LOGIN REPLICATION)
-- The owner (taskuser) keeps everything, migrations and the operators' procedures included.
--
-- grant_service_roles() grants to whichever of these roles exist, so it does nothing where they do
-- not (the dev launcher, the tests). Run it again after creating the roles on an existing database:
--   psql -U taskuser -d taskdb -c 'SELECT grant_service_roles()'
-- A migration that adds a table the services use extends this function and calls it again.
CREATE OR REPLACE FUNCTION grant_service_roles() RETURNS void
    LANGUAGE plpgsql AS
$$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'ts_api_server') THEN
        GRANT USAGE ON SCHEMA public TO ts_api_server;
        -- The tasks trigger writes (and at once deletes) outbox rows and keeps task_attempts.
        GRANT SELECT, INSERT, UPDATE ON tasks TO ts_api_server;
        GRANT SELECT, INSERT, UPDATE, DELETE ON schedules TO ts_api_server;
        GRANT SELECT, INSERT, DELETE ON outbox TO ts_api_server;
        GRANT SELECT, INSERT, UPDATE ON task_attempts TO ts_api_server;
        GRANT SELECT ON task_status_transitions TO ts_api_server;
        GRANT SELECT, INSERT ON dlq_replays, audit_events TO ts_api_server;
        GRANT SELECT, INSERT, UPDATE ON api_keys TO ts_api_server;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ts_api_server;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'ts_worker') THEN
        GRANT USAGE ON SCHEMA public TO ts_worker;
        GRANT SELECT, UPDATE ON tasks TO ts_worker;
        GRANT SELECT, INSERT, DELETE ON outbox TO ts_worker;
        GRANT SELECT, INSERT, UPDATE ON task_attempts TO ts_worker;
        GRANT SELECT ON task_status_transitions TO ts_worker;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ts_worker;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'ts_outbox_relay') THEN
        GRANT USAGE ON SCHEMA public TO ts_outbox_relay;
        GRANT SELECT ON outbox TO ts_outbox_relay;
    END IF;
END;
$$;

SELECT grant_service_roles();

-- The relay's publication, created here by the owner, so that the relay's own role needs no
-- ownership of the outbox table (Debezium only checks that it exists and covers the outbox).
DO
$$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_publication WHERE pubname = 'task_outbox_publication') THEN
        CREATE PUBLICATION task_outbox_publication FOR TABLE outbox;
    END IF;
END;
$$;

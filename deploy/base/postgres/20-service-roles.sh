#!/bin/sh
# Runs once, from /docker-entrypoint-initdb.d, when the postgres image initialises an empty data
# directory: one login role per service, with the passwords of the db-service-credentials Secret.
# Their privileges come with the schema (migration V22, grant_service_roles()), when the outbox relay
# applies it as the owner. The owner, taskuser, stays the operators' and the migrations' role.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v api_password="${API_SERVER_DB_PASSWORD:?}" \
  -v relay_password="${OUTBOX_RELAY_DB_PASSWORD:?}" \
  -v worker_password="${WORKER_DB_PASSWORD:?}" <<'SQL'
CREATE ROLE ts_api_server LOGIN PASSWORD :'api_password';
-- Logical replication of the outbox (its slot and publication); nothing else.
CREATE ROLE ts_outbox_relay LOGIN REPLICATION PASSWORD :'relay_password';
CREATE ROLE ts_worker LOGIN PASSWORD :'worker_password';
SQL

#!/bin/sh
# Runs once, from /docker-entrypoint-initdb.d, when the postgres image initialises an empty data
# directory. It writes the tuning settings into postgresql.conf, where the runbook edits them
# afterwards (/var/lib/postgresql/data/postgresql.conf, then restart postgres-0): unlike the
# settings on the container's command line, these are the operators' to change.
# The values come from the postgres-config ConfigMap (base/config/postgres.env).

cat >> "$PGDATA/postgresql.conf" <<CONF

# --- task-scheduler tuning: written at initdb; edit here, then restart postgres-0 -------------
shared_buffers = ${PG_SHARED_BUFFERS:?}
effective_cache_size = ${PG_EFFECTIVE_CACHE_SIZE:?}
work_mem = ${PG_WORK_MEM:?}
maintenance_work_mem = ${PG_MAINTENANCE_WORK_MEM:?}
max_connections = ${PG_MAX_CONNECTIONS:?}
# A task's row is written several times within seconds, and the first change of a page after a
# checkpoint writes the whole page to the WAL: space checkpoints by time, not by the default 1GB of WAL.
max_wal_size = ${PG_MAX_WAL_SIZE:?}
checkpoint_timeout = 15min
# The tasks table is updated at every state change: vacuum it early.
autovacuum_vacuum_scale_factor = 0.05
autovacuum_analyze_scale_factor = 0.02
log_min_duration_statement = 1s
log_checkpoints = on
log_lock_waits = on
CONF

# Physical replication connections (pg_basebackup, a standby). The backups do not need them:
# pgBackRest works on the data directory inside the pod (deploy/README.md, "Backups and restore").
# Logical replication (the outbox relay) is matched by the normal "host all all all" rule of the image.
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"

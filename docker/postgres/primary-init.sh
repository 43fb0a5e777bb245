#!/bin/bash
# Runs once, when the primary's cluster is created: a login for streaming replication, if a password is given.
set -euo pipefail
if [ -n "${REPLICATION_PASSWORD:-}" ]; then
  # On standard input: psql interpolates :'pw' (quoted as a literal) there, not in a -c command.
  psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -v pw="$REPLICATION_PASSWORD" <<'EOSQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'pw';
EOSQL
  echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
fi

#!/bin/bash
# A streaming standby of the compose file's primary: cloned on first start, then started as a hot standby.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA" && chmod 700 "$PGDATA"
  export PGPASSWORD="$REPLICATION_PASSWORD"
  until pg_basebackup -h postgres -U replicator -D "$PGDATA" -R -X stream -c fast; do
    echo "standby: waiting for the primary"; rm -rf "${PGDATA:?}"/*; sleep 2
  done
fi
exec postgres -D "$PGDATA" -c hot_standby=on

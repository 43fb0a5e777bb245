#!/bin/bash
# A streaming standby of the compose file's primary: cloned on first start, then started as a hot standby.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  # Cloned beside PGDATA and moved into place when complete: a clone cut short (the container stopped during
  # the first start) is made again, never started as a standby.
  partial="$PGDATA.partial"
  rm -rf "$partial" && mkdir -p "$(dirname "$PGDATA")"
  [ ! -e "$PGDATA" ] || rm -rf "${PGDATA:?}"
  export PGPASSWORD="$REPLICATION_PASSWORD"
  until pg_basebackup -h postgres -U replicator -D "$partial" -R -X stream -c fast; do
    echo "standby: waiting for the primary"; rm -rf "$partial"; sleep 2
  done
  mv "$partial" "$PGDATA"
fi
exec postgres -D "$PGDATA" -c hot_standby=on

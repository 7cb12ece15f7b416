#!/usr/bin/env bash
# The streaming replica. On its first start (an empty data directory) it clones the primary
# with pg_basebackup: WAL streamed during the copy, a replication slot of its own (replica1,
# so the primary keeps the WAL it has not received yet), standby.signal and primary_conninfo
# written by -R. Then it runs as a hot standby: read-only queries, a few milliseconds behind.
# Rebuilding it: stop it, delete its volume, start it (the slot is reused).
set -euo pipefail
: "${PGDATA:=/var/lib/postgresql/data}"
: "${PRIMARY_HOST:=primary}"
SLOT=replica1

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  export PGPASSWORD="$REPLICATION_PASSWORD"
  until pg_isready -q -h "$PRIMARY_HOST" -d postgres; do sleep 1; done
  clone() { pg_basebackup -h "$PRIMARY_HOST" -U replicator -D "$PGDATA" -R -X stream --checkpoint=fast -S "$SLOT" "$@"; }
  if ! clone -C; then
    # The slot exists already (the replica was rebuilt): clone again using it.
    find "$PGDATA" -mindepth 1 -delete
    clone
  fi
  chmod 0700 "$PGDATA"
fi

# hot_standby_feedback: long dashboard queries on the replica are not cancelled by the
# primary's vacuum (at the price of some bloat on the primary while they run).
exec postgres -c hot_standby=on -c hot_standby_feedback=on -c max_connections=200

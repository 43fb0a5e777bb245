#!/usr/bin/env bash
# Runs the compose profile "replicas" (docker-compose.yml) for real on a machine without a container engine:
# the PostgreSQL primary initialised as the official postgres image's entrypoint does (initdb with POSTGRES_USER
# and the password file, pg_hba's `host all all all scram-sha-256`, a socket-only server for
# /docker-entrypoint-initdb.d — here primary-init.sh — then `postgres` with the compose command's flags), the
# standby by standby-entrypoint.sh itself, PgBouncer with pgbouncer.ini and the auth_file its compose
# entrypoint writes, three `node dist/main.js` with the compose environment, and nginx with arshjul.conf.
# Every setting comes from docker-compose.yml (read by compose-pieces.js); what differs from the containers is
# only what one network namespace needs, and is said where it is done:
#  - each service gets its own loopback address (127.0.17.x, LOOPBACK_NET) and keeps its compose port (5432,
#    3000, 8080); the service names resolve through an /etc/hosts bind-mounted in a private mount namespace
#    (the machine's /etc/hosts is never changed);
#  - files the containers find at /run/secrets, /tmp and /etc are in a temporary directory;
#  - the replicas trust a stand-in for Entra ID (ENTRA_AUTHORITY_HOST), so an administrator can sign in.
# Then it checks: /health/ready through the proxy, requests spread over the three replicas, the setup command
# (and that a second run changes nothing), an Entra sign-in, checklist reads served by the standby
# (pg_stat_database and pg_stat_user_tables on the standby), and a write through PgBouncer read back.
#
# Usage (as root, from the repository root, ~1–2 min after `npm run build`):   docker/replicas-smoke.sh
# Installs postgresql, pgbouncer and nginx-light with apt-get when missing. Exit 0 when every check passes.
# KEEP=1 leaves the temporary directory (logs) behind; SKIP_BUILD=1 uses the dist/ there is.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
say() { printf "replicas-smoke: [%3ss] %s\n" "$SECONDS" "$*"; }
fail() { printf 'replicas-smoke: FAILED: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (it starts PostgreSQL as postgres, and nginx)"

# A private mount namespace: the /etc/hosts below is seen by this script's processes only, and goes with them.
if [ -z "${REPLICAS_SMOKE_INSIDE:-}" ]; then
  exec unshare --mount --propagation private env REPLICAS_SMOKE_INSIDE=1 "$0" "$@"
fi

need() { command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] || { say "installing $2"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need pg_lsclusters postgresql; need pgbouncer pgbouncer; need nginx nginx-light; need curl curl
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PG_MAJOR=$("$PGBIN/postgres" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')
say "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') (the compose file's images are postgres:17), $(pgbouncer --version | head -1), $(nginx -v 2>&1 | sed 's/.*: //')"

NET=${LOOPBACK_NET:-127.0.17}
declare -A ADDR=([postgres]=$NET.2 [postgres-standby]=$NET.3 [pgbouncer]=$NET.4 [arshjul]=$NET.5 [arshjul-2]=$NET.6
  [arshjul-3]=$NET.7 [proxy]=$NET.8 [mailpit]=$NET.9 [entra]=$NET.10)
W=$(mktemp -d /tmp/replicas-smoke.XXXXXX); chmod 711 "$W"
PIDS=()
cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for d in "$W/standby/data/pgdata" "$W/primary/data"; do
    [ -f "$d/postmaster.pid" ] && setpriv --reuid=postgres --regid=postgres --init-groups "$PGBIN/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1 || true
  done
  for pid in "${PIDS[@]}"; do for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done; kill -KILL "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-}" = 1 ] || [ $status != 0 ]; then say "logs in $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the names, as Compose's network resolves them ----------------------------------------------------------
{ cat /etc/hosts; for name in "${!ADDR[@]}"; do echo "${ADDR[$name]} $name"; done; } >"$W/hosts"
mount --bind "$W/hosts" /etc/hosts
for name in "${!ADDR[@]}"; do
  a=${ADDR[$name]}
  for port in 5432 3000 8080; do
    ! (exec 3<>"/dev/tcp/$a/$port") 2>/dev/null || fail "$a:$port is taken: set LOOPBACK_NET to another 127.x.y"
  done
done

# --- the operator's environment, then the compose file read as Compose reads it ------------------------------
export POSTGRES_PASSWORD=$(openssl rand -hex 24) SESSION_SECRET=$(openssl rand -hex 32) REPLICATION_PASSWORD=$(openssl rand -hex 24)
export ENTRA_AUDIENCE=api://smoke PUBLIC_BASE_URL=http://proxy:8080 TRUST_PROXY=1
node "$REPO/docker/compose-pieces.js" "$REPO/docker/docker-compose.yml" "$W/compose"
# env_of SERVICE: the service's compose environment, with the secret files where this run keeps them.
env_of() { local -a e; mapfile -d '' e <"$W/compose/$1.env"; printf '%s\0' "${e[@]//\/run\/secrets\//$W/secrets/}"; }
args_of() { mapfile -d '' "$2" <"$W/compose/$1"; }
mount_of() { local -a m; mapfile -d '' m <"$W/compose/$1.mounts"; local i; for ((i = 0; i < ${#m[@]}; i += 2)); do [ "${m[i]}" = "$2" ] && { echo "${m[i+1]}"; return; }; done; fail "$1 mounts nothing at $2"; }
mkdir -p "$W/secrets"; chmod 755 "$W/secrets"
printf '%s' "$POSTGRES_PASSWORD" >"$W/secrets/db_password"; printf '%s' "$SESSION_SECRET" >"$W/secrets/session_secret"
chmod 444 "$W/secrets/"*
AS_POSTGRES=(setpriv --reuid=postgres --regid=postgres --init-groups --)
as_postgres() { "${AS_POSTGRES[@]}" "$@"; }
wait_for() { local what=$1 tries=$2; shift 2; for ((i = 0; i < tries; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done; fail "$what"; }

# --- the primary, as the postgres image's docker-entrypoint.sh initialises it --------------------------------
mkdir -p "$W/primary/run"; chown -R postgres:postgres "$W/primary"
PRIMARY=$W/primary/data
declare -A PENV; while IFS= read -r -d '' kv; do PENV[${kv%%=*}]=${kv#*=}; done < <(env_of postgres)
PG_PASSWORD=$(cat "${PENV[POSTGRES_PASSWORD_FILE]}")
args_of postgres.command PG_COMMAND; [ "${PG_COMMAND[0]}" = postgres ] && PG_COMMAND=("${PG_COMMAND[@]:1}")
# The image's --pwfile=<(printf "%s\n" "$POSTGRES_PASSWORD"), as a file: the pipe would be root's here.
printf '%s\n' "$PG_PASSWORD" >"$W/primary/pwfile"; chown postgres "$W/primary/pwfile"; chmod 600 "$W/primary/pwfile"
as_postgres env LANG=C.UTF-8 "$PGBIN/initdb" -D "$PRIMARY" --username="${PENV[POSTGRES_USER]}" \
  --pwfile="$W/primary/pwfile" >"$W/primary/initdb.log" 2>&1 || fail "initdb (see $W/primary/initdb.log)"
rm "$W/primary/pwfile"
# The image's postgresql.conf says listen_addresses = '*'; one network namespace here: the primary's own address.
# Its socket is in its own directory, and initdb's loopback `trust` lines go, as peers in Compose never come from
# 127.0.0.1 (they would here, and would sign in without a password).
printf "listen_addresses = '%s'\nunix_socket_directories = '%s'\n" "${ADDR[postgres]}" "$W/primary/run" >>"$PRIMARY/postgresql.conf"
sed -i -E '/^host +[a-z]+ +all +(127\.0\.0\.1\/32|::1\/128) +trust/d' "$PRIMARY/pg_hba.conf"
AUTH=$(as_postgres "$PGBIN/postgres" -D "$PRIMARY" -C password_encryption "${PG_COMMAND[@]}")
printf '\nhost all all all %s\n' "$AUTH" >>"$PRIMARY/pg_hba.conf"
as_postgres "$PGBIN/pg_ctl" -D "$PRIMARY" -o "$(printf '%q ' "${PG_COMMAND[@]}" -c listen_addresses='' -p 5432)" \
  -l "$W/primary/init-server.log" -w start >/dev/null
export PGHOST=$W/primary/run PGPORT=5432 PGPASSWORD=$PG_PASSWORD
psql -v ON_ERROR_STOP=1 -U "${PENV[POSTGRES_USER]}" -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname = '${PENV[POSTGRES_DB]}'" | grep -q 1 \
  || psql -v ON_ERROR_STOP=1 -U "${PENV[POSTGRES_USER]}" -d postgres -qc "CREATE DATABASE \"${PENV[POSTGRES_DB]}\""
INIT=$(mount_of postgres /docker-entrypoint-initdb.d/10-replication.sh)
# Run as the image runs *.sh there: executed when executable, else sourced; with the container's environment.
(
  set +eu
  export POSTGRES_USER=${PENV[POSTGRES_USER]} POSTGRES_DB=${PENV[POSTGRES_DB]} POSTGRES_PASSWORD=$PG_PASSWORD PGDATA=$PRIMARY \
    REPLICATION_PASSWORD=${PENV[REPLICATION_PASSWORD]}
  if [ -x "$INIT" ]; then exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$INIT"; else exec setpriv --reuid=postgres --regid=postgres --init-groups -- bash -c '. "$0"' "$INIT"; fi
) >"$W/primary/init-scripts.log" 2>&1 || fail "primary-init.sh: $(tail -3 "$W/primary/init-scripts.log")"
as_postgres "$PGBIN/pg_ctl" -D "$PRIMARY" -m fast -w stop >/dev/null
unset PGPASSWORD
"${AS_POSTGRES[@]}" "$PGBIN/postgres" -D "$PRIMARY" "${PG_COMMAND[@]}" >"$W/primary/postgres.log" 2>&1 &
PIDS+=($!)
# The compose healthcheck, pg_isready -U arshjul -d arshjul (over TCP: see the healthcheck's comment there).
wait_for "the primary did not start (see $W/primary/postgres.log)" 60 "$PGBIN/pg_isready" -h postgres -U arshjul -d arshjul
say "primary: up on postgres:5432 (initialised as the postgres image does, primary-init.sh run)"
PSQL_PRIMARY=(env PGPASSWORD="$PG_PASSWORD" psql -X -qtA -h postgres -U arshjul -d arshjul)

# --- the standby: standby-entrypoint.sh itself, its PGDATA under the volume's directory -----------------------
mkdir -p "$W/standby/data" "$W/standby/run" "$W/standby/bin"; chmod 1777 "$W/standby/data"; chown -R postgres:postgres "$W/standby/run" "$W/standby/bin"
# The image's PATH has PostgreSQL's binaries; `postgres` here also gets the standby's own address and socket
# (its postgresql.conf is the primary's copy, which names the primary's).
ln -s "$PGBIN/pg_basebackup" "$W/standby/bin/pg_basebackup"
printf '#!/bin/sh\nexec %q "$@" -c listen_addresses=%q -c unix_socket_directories=%q\n' "$PGBIN/postgres" "${ADDR[postgres-standby]}" "$W/standby/run" >"$W/standby/bin/postgres"
chmod 755 "$W/standby/bin/postgres"
declare -A SENV; while IFS= read -r -d '' kv; do SENV[${kv%%=*}]=${kv#*=}; done < <(env_of postgres-standby)
args_of postgres-standby.entrypoint STANDBY_ENTRYPOINT
STANDBY_SCRIPT=$(mount_of postgres-standby "${STANDBY_ENTRYPOINT[-1]}")
STANDBY_PGDATA=$W/standby/data/${SENV[PGDATA]#/var/lib/postgresql/data/}
"${AS_POSTGRES[@]}" env -i PATH="$W/standby/bin:/usr/bin:/bin" HOME=/tmp LANG=C.UTF-8 PGDATA="$STANDBY_PGDATA" REPLICATION_PASSWORD="${SENV[REPLICATION_PASSWORD]}" \
  "${STANDBY_ENTRYPOINT[@]:0:${#STANDBY_ENTRYPOINT[@]}-1}" "$STANDBY_SCRIPT" >"$W/standby/standby.log" 2>&1 &
PIDS+=($!)
wait_for "the standby did not start (see $W/standby/standby.log)" 120 "$PGBIN/pg_isready" -h postgres-standby -U arshjul -d arshjul
PSQL_STANDBY=(env PGPASSWORD="$PG_PASSWORD" psql -X -qtA -h postgres-standby -U arshjul -d arshjul)
[ "$("${PSQL_STANDBY[@]}" -c 'SELECT pg_is_in_recovery()')" = t ] || fail "postgres-standby is not in recovery"
[ "$("${PSQL_PRIMARY[@]}" -c "SELECT count(*) FROM pg_stat_replication WHERE usename = 'replicator' AND state = 'streaming'")" = 1 ] \
  || fail "the primary has no streaming standby"
say "standby: streaming from the primary as replicator (pg_basebackup -R by standby-entrypoint.sh)"

# --- PgBouncer: the compose entrypoint writes its auth_file from the secret ----------------------------------
mkdir -p "$W/pgbouncer/tmp"; chown -R postgres:postgres "$W/pgbouncer"
INI=$(mount_of pgbouncer /etc/pgbouncer/pgbouncer.ini)
BOUNCER_VERSION=$(pgbouncer --version | awk 'NR==1{print $2}')
# One network namespace: PgBouncer's own address instead of 0.0.0.0, its socket and files in this run's directory.
sed -E -e "s|^listen_addr *=.*|listen_addr = ${ADDR[pgbouncer]}|" -e "s|/tmp/userlist.txt|$W/pgbouncer/tmp/userlist.txt|" "$INI" >"$W/pgbouncer/pgbouncer.ini"
printf 'unix_socket_dir = %s\nlogfile = %s\n' "$W/pgbouncer/tmp" "$W/pgbouncer/pgbouncer.log" >>"$W/pgbouncer/pgbouncer.ini"
if [ "$(printf '%s\n' "$BOUNCER_VERSION" 1.21.0 | sort -V | head -1)" != 1.21.0 ]; then
  # max_prepared_statements came with PgBouncer 1.21 (the image is 1.25); older ones refuse to start on it.
  sed -i -E '/^max_prepared_statements/d' "$W/pgbouncer/pgbouncer.ini"
  say "pgbouncer $BOUNCER_VERSION: running pgbouncer.ini without max_prepared_statements (1.21+)"
fi
args_of pgbouncer.entrypoint BOUNCER_ENTRYPOINT
BOUNCER_ENTRYPOINT=("${BOUNCER_ENTRYPOINT[@]//\/tmp\/userlist.txt/$W/pgbouncer/tmp/userlist.txt}")
BOUNCER_ENTRYPOINT=("${BOUNCER_ENTRYPOINT[@]//\/run\/secrets\//$W/secrets/}")
BOUNCER_ENTRYPOINT=("${BOUNCER_ENTRYPOINT[@]//\/etc\/pgbouncer\/pgbouncer.ini/$W/pgbouncer/pgbouncer.ini}")
"${AS_POSTGRES[@]}" env -i PATH=/usr/sbin:/usr/bin:/bin HOME=/tmp "${BOUNCER_ENTRYPOINT[@]}" >"$W/pgbouncer/stdout.log" 2>&1 &
PIDS+=($!)
wait_for "pgbouncer did not start (see $W/pgbouncer/)" 20 bash -c "exec 3<>/dev/tcp/${ADDR[pgbouncer]}/5432"
grep -q '^"arshjul" "'"$POSTGRES_PASSWORD"'"$' "$W/pgbouncer/tmp/userlist.txt" || fail "the auth_file the pgbouncer entrypoint wrote does not hold the owner's password"
[ "$(stat -c %a "$W/pgbouncer/tmp/userlist.txt")" = 600 ] || fail "the auth_file is readable by others than pgbouncer: $(stat -c %a "$W/pgbouncer/tmp/userlist.txt")"
say "pgbouncer: transaction pooling on pgbouncer:5432, auth_file $(cut -d' ' -f1 "$W/pgbouncer/tmp/userlist.txt") from the secret"

# --- a stand-in for Entra ID: the tenant's key set, and an access token for the administrator ---------------
TENANT=$(cat /proc/sys/kernel/random/uuid); ADMIN=admin@smoke.kommune.no
cat >"$W/entra.js" <<'EOF'
const { createServer } = require('node:http');
const { randomUUID } = require('node:crypto');
const { writeFileSync } = require('node:fs');
const { exportJWK, generateKeyPair, SignJWT } = require('jose');
const [host, tenant, audience, username, tokenFile] = process.argv.slice(2);
(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'smoke', use: 'sig', alg: 'RS256' };
  createServer((req, res) => {
    if (req.url === `/${tenant}/discovery/v2.0/keys`) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end();
  }).listen(8080, host);
  const token = await new SignJWT({ tid: tenant, oid: randomUUID(), preferred_username: username, ver: '2.0' })
    .setProtectedHeader({ alg: 'RS256', kid: 'smoke' }).setIssuer(`http://entra:8080/${tenant}/v2.0`).setAudience(audience)
    .setIssuedAt().setExpirationTime('1h').sign(privateKey);
  writeFileSync(tokenFile, token);
})();
EOF
(cd "$REPO" && NODE_PATH="$REPO/node_modules" exec node "$W/entra.js" "${ADDR[entra]}" "$TENANT" "$ENTRA_AUDIENCE" "$ADMIN" "$W/token") >"$W/entra.log" 2>&1 &
PIDS+=($!)

# --- three replicas: the compose environment of arshjul, arshjul-2 and arshjul-3 -----------------------------
if [ "${SKIP_BUILD:-}" != 1 ]; then (cd "$REPO" && npm run build >"$W/build.log" 2>&1) || fail "npm run build (see $W/build.log)"; fi
replica_env() { # the compose environment; HOST and DATA_DIR are the container's own address and disk here
  env_of "$1"; printf '%s\0' PATH="$PATH" HOME=/tmp HOST="${ADDR[$1]}" DATA_DIR="$W/$1/data" ENTRA_AUTHORITY_HOST=http://entra:8080
}
declare -A REPLICA_PID
start_replica() {
  mkdir -p "$W/$1/data"
  mapfile -d '' E < <(replica_env "$1")
  (cd "$REPO" && exec env -i "${E[@]}" node dist/main.js) >"$W/$1/service.log" 2>&1 &
  PIDS+=($!); REPLICA_PID[$1]=$!
}
wait_ready() {
  local r=$1 i
  for ((i = 0; i < 240; i++)); do
    curl -fs -o /dev/null "http://$r:3000/health/ready" && break
    kill -0 "${REPLICA_PID[$r]}" 2>/dev/null || fail "$r stopped: $(grep -v '^ *at ' "$W/$r/service.log" | tail -c 1500)"
    sleep 0.5
  done
  [ "$i" -lt 240 ] || fail "$r did not get ready in 2 minutes (see $W/$r/service.log)"
}
# As compose orders them: arshjul-2 and -3 once arshjul, which runs the migrations, is healthy.
start_replica arshjul; wait_ready arshjul
start_replica arshjul-2; start_replica arshjul-3; wait_ready arshjul-2; wait_ready arshjul-3
say "replicas: arshjul (direct), arshjul-2 and arshjul-3 (PgBouncer, standby reads) answer /health/ready"

# --- nginx with arshjul.conf, as the nginx image includes it ------------------------------------------------
mkdir -p "$W/nginx/tmp"; chown -R nobody "$W/nginx/tmp"
sed -E "s/^( *listen) +8080;/\1 ${ADDR[proxy]}:8080;/" "$(mount_of proxy /etc/nginx/conf.d/default.conf)" >"$W/nginx/arshjul.conf"
cat >"$W/nginx/nginx.conf" <<EOF
user nobody nogroup;
worker_processes 1;
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log;
events { worker_connections 256; }
http {
  log_format upstream '\$status \$upstream_addr \$request_uri';
  access_log $W/nginx/access.log upstream;
  client_body_temp_path $W/nginx/tmp/body; proxy_temp_path $W/nginx/tmp/proxy; fastcgi_temp_path $W/nginx/tmp/fastcgi;
  uwsgi_temp_path $W/nginx/tmp/uwsgi; scgi_temp_path $W/nginx/tmp/scgi;
  include $W/nginx/arshjul.conf;
}
EOF
nginx -t -c "$W/nginx/nginx.conf" >"$W/nginx/test.log" 2>&1 || fail "nginx -t: $(cat "$W/nginx/test.log")"
nginx -c "$W/nginx/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
wait_for "nginx did not answer /health/ready on proxy:8080" 20 curl -fs http://proxy:8080/health/ready

# === the checks ==============================================================================================
curl -fs http://proxy:8080/health/ready >/dev/null && say "ok: /health/ready through the proxy"
for _ in $(seq 1 30); do curl -fs -o /dev/null http://proxy:8080/health/ready; done
SPREAD=$(awk '$3 == "/health/ready" {print $2}' "$W/nginx/access.log" | sort | uniq -c | sort -rn)
[ "$(printf '%s\n' "$SPREAD" | wc -l)" = 3 ] || fail "requests did not spread over three replicas: $SPREAD"
say "ok: 31 requests through the proxy went to three replicas: $(printf '%s' "$SPREAD" | tr -s ' \n' ' ')"

# The compose header's first start: `docker compose exec arshjul node dist/cli/setup.js …` (the arshjul container's env).
mapfile -d '' E < <(replica_env arshjul)
SETUP=(env -i "${E[@]}" node dist/cli/setup.js --municipality "Smoke kommune" --tenant "$TENANT" --admin "$ADMIN")
(cd "$REPO" && "${SETUP[@]}") >"$W/setup.log" 2>&1 || fail "setup: $(cat "$W/setup.log")"
(cd "$REPO" && "${SETUP[@]}") >"$W/setup-again.log" 2>&1 || fail "setup, run again: $(cat "$W/setup-again.log")"
grep -q 'Nothing to do' "$W/setup-again.log" || fail "setup run again did not say 'Nothing to do': $(cat "$W/setup-again.log")"
say "ok: node dist/cli/setup.js made Smoke kommune and its administrator; run again: $(head -1 "$W/setup-again.log")"
mapfile -d '' E < <(replica_env arshjul-2)
(cd "$REPO" && env -i "${E[@]}" node dist/cli/setup.js --municipality "Smoke kommune" --tenant "$TENANT" --admin "$ADMIN") >"$W/setup-2.log" 2>&1 \
  || fail "setup in arshjul-2 (through PgBouncer): $(cat "$W/setup-2.log")"
say "ok: the same in arshjul-2, through PgBouncer: $(head -1 "$W/setup-2.log")"

# Sign in (first sign-in, on arshjul: it writes the person's Entra object id), then read from the standby.
wait_for "the stand-in Entra did not start" 20 test -s "$W/token"
AUTH="Authorization: Bearer $(cat "$W/token")"
curl -fsS -H "$AUTH" http://arshjul:3000/api/v1/units >"$W/units.json" || fail "sign-in on arshjul: $(curl -s -H "$AUTH" http://arshjul:3000/api/v1/units)"
UNIT=$(node -e 'const b=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));const u=(b.items??b)[0];process.stdout.write(u.id)' "$W/units.json")
say "ok: the administrator signed in with an Entra token; root unit $UNIT"
# A replica reads the primary for a person it has just seen write; arshjul-2 and -3 have seen none.
sleep "$(( ${READ_MAX_LAG_SECONDS:-5} + 1 ))"
stats() { "${PSQL_STANDBY[@]}" -c "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = 'arshjul') || ' ' || (SELECT coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0) FROM pg_stat_user_tables)"; }
BEFORE=$(stats)
for r in arshjul-2 arshjul-3 arshjul-2 arshjul-3; do
  curl -fsS -o /dev/null -H "$AUTH" "http://$r:3000/api/v1/units/$UNIT/checklist?month=$(date +%Y-%m)" || fail "checklist on $r: $(curl -s -H "$AUTH" "http://$r:3000/api/v1/units/$UNIT/checklist?month=$(date +%Y-%m)")"
done
for _ in 1 2 3 4 5 6; do curl -fsS -o /dev/null -H "$AUTH" "http://proxy:8080/api/v1/units/$UNIT/checklist?month=$(date +%Y-%m)" || fail "checklist through the proxy"; done
sleep 1 # statistics reach the shared counters when a backend goes idle (stats_fetch_consistency aside)
AFTER=$(stats)
read -r xb sb <<<"$BEFORE"; read -r xa sa <<<"$AFTER"
[ "$sa" -gt "$sb" ] || fail "no table was read on the standby (pg_stat_user_tables scans $sb -> $sa)"
say "ok: checklist reads served by the standby: pg_stat_database.xact_commit $xb -> $xa, table scans $sb -> $sa"

# A write through PgBouncer (arshjul-2), then the read after it on the same replica sees it.
NAME="Avdeling $(date +%s)"
curl -fsS -o "$W/unit.json" -H "$AUTH" -H 'content-type: application/json' -X POST \
  -d "{\"name\":\"$NAME\",\"parentId\":\"$UNIT\"}" http://arshjul-2:3000/api/v1/units || fail "POST /api/v1/units on arshjul-2: $(cat "$W/unit.json" 2>/dev/null)"
curl -fsS -H "$AUTH" http://arshjul-2:3000/api/v1/units | grep -q "$NAME" || fail "arshjul-2 did not read back the unit it wrote"
say "ok: a unit written through PgBouncer on arshjul-2 is read back there"
# A replica restarting (it sets arshjul_service's password at boot) leaves the others' new PgBouncer server
# connections able to sign in: PgBouncer signs in to PostgreSQL with keys from the SCRAM secret it looked up.
kill -TERM "${REPLICA_PID[arshjul-3]}"; wait "${REPLICA_PID[arshjul-3]}" 2>/dev/null || true
start_replica arshjul-3; wait_ready arshjul-3
"${PSQL_PRIMARY[@]}" -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = 'arshjul_service'" >/dev/null
for r in arshjul-2 arshjul-3; do
  curl -fsS -o /dev/null -H "$AUTH" "http://$r:3000/api/v1/units" || fail "after arshjul-3 restarted, $r cannot work through PgBouncer: $(curl -s -H "$AUTH" "http://$r:3000/api/v1/units"; tail -3 "$W/pgbouncer/pgbouncer.log")"
done
say "ok: after arshjul-3 restarted, arshjul-2 and arshjul-3 open new server connections through PgBouncer"
say "all checks passed"

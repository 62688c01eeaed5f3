#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL server: a new cluster in a temporary folder, listening on a
# free loopback port (and a socket in that folder), stopped and removed when the command ends, whatever
# its result. The command gets KLANT_PG_URL (superuser `klant`, trusted on loopback) and
# KLANT_PG_PASSWORD_URL / KLANT_PG_PASSWORD for a role that must authenticate with a password (SCRAM).
# As root the server runs as the `postgres` user (initdb refuses root). Needs Debian's `postgresql`.
#   bash scripts/with-postgres.sh swift test --filter WarehouseTests
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "with-postgres: no PostgreSQL server found under /usr/lib/postgresql; install Debian's postgresql package (make pg-deps)" >&2
  exit 1
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/klant-pg.XXXXXX")
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U klant -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
# The password role must authenticate; everything else is trusted (loopback only, throwaway data).
cat >"$dir/data/pg_hba.conf" <<HBA
local all all trust
host all klant_pw 127.0.0.1/32 scram-sha-256
host all all 127.0.0.1/32 trust
HBA
stop() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
"$bindir/psql" -q -h 127.0.0.1 -p "$port" -U klant -d postgres -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE klant_pw LOGIN PASSWORD '$password'" -c "CREATE DATABASE klant_pw OWNER klant_pw" >/dev/null
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)" >&2
export KLANT_PG_URL="postgresql://klant@127.0.0.1:$port/postgres?sslmode=disable"
export KLANT_PG_PASSWORD_URL="postgresql://klant_pw@127.0.0.1:$port/klant_pw?sslmode=disable"
export KLANT_PG_PASSWORD="$password"
"$@"

#!/usr/bin/env bash
# Installs the Debian packages Klant builds against (BLAS/LAPACK, zlib for .gz input, SQLite for the store), if missing;
# packages given as arguments (e.g. postgresql for the tests) are installed too.
set -euo pipefail
need=()
for p in libopenblas-dev liblapacke-dev zlib1g-dev libsqlite3-dev "$@"; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

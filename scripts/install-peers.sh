#!/usr/bin/env bash
# Creates a Python venv with the peer libraries the comparison tests and benchmarks run against.
# lifetimes 0.11.3 needs old pins (see ../shared/PEERS.md); scikit-learn/statsmodels are current.
set -euo pipefail
venv="${1:-.venv-peers}"
stamp="$venv/.klant-peers-v1"
[ -f "$stamp" ] && exit 0
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check \
  lifetimes==0.11.3 numpy==1.23.5 pandas==1.5.3 scipy==1.10.1 autograd==1.5 dill "setuptools<70"
touch "$stamp"

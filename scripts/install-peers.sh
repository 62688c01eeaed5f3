#!/usr/bin/env bash
# Creates a Python venv with the peer libraries the comparison tests and benchmarks run against.
# lifetimes 0.11.3 needs old pins (see ../shared/PEERS.md); scikit-learn/statsmodels are current.
set -euo pipefail
venv="${1:-.venv-peers}"
stamp="$venv/.klant-peers-v1"
if [ ! -f "$stamp" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check \
    lifetimes==0.11.3 numpy==1.23.5 pandas==1.5.3 scipy==1.10.1 autograd==1.5 dill "setuptools<70"
  touch "$stamp"
fi

# A second venv with current scikit-learn and statsmodels (the churn tests and benchmark): they
# need numpy/scipy/pandas far newer than lifetimes' pins. Tests find it through KLANT_ML_PYTHON
# (exported by the Makefile as $(PEER_VENV)-ml/bin/python).
ml="${venv}-ml"
ml_stamp="$ml/.klant-peers-ml-v1"
if [ ! -f "$ml_stamp" ]; then
  python3 -m venv "$ml"
  "$ml/bin/pip" install -q --disable-pip-version-check scikit-learn statsmodels pandas numpy scipy
  touch "$ml_stamp"
fi

# A third venv with scikit-uplift 0.5.1 and implicit 0.7.3 (the uplift and cross-sell tests and
# benchmarks) beside current scikit-learn; tests find it through KLANT_UPLIFT_PYTHON.
uplift="${venv}-uplift"
uplift_stamp="$uplift/.klant-peers-uplift-v1"
if [ ! -f "$uplift_stamp" ]; then
  python3 -m venv "$uplift"
  "$uplift/bin/pip" install -q --disable-pip-version-check scikit-uplift==0.5.1 implicit==0.7.3 scikit-learn pandas
  touch "$uplift_stamp"
fi

# Headless Chromium renders the HTML report in the report tests (Debian's package).
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
fi

# A fourth venv for the report tests: nbformat validates and nbconvert executes the exported
# notebooks (their code cells use pandas and matplotlib). Tests find it through KLANT_NB_PYTHON.
nb="${venv}-nb"
nb_stamp="$nb/.klant-peers-nb-v1"
if [ ! -f "$nb_stamp" ]; then
  python3 -m venv "$nb"
  "$nb/bin/pip" install -q --disable-pip-version-check nbformat nbconvert ipykernel pandas matplotlib
  "$nb/bin/python" -m ipykernel install --prefix "$nb" --name python3 >/dev/null
  touch "$nb_stamp"
fi

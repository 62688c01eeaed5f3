# Klant — the two commands a newcomer needs:
#   make quickstart   install system packages, build, summarise + fit + predict on the shipped CDNOW data
#   make test         install system packages and Python peers, run every test
SHELL := /bin/bash
PEER_VENV ?= $(CURDIR)/.venv-peers
export KLANT_PEER_PYTHON ?= $(PEER_VENV)/bin/python
export KLANT_ML_PYTHON ?= $(PEER_VENV)-ml/bin/python

.PHONY: deps peers build test quickstart bench
deps:
	bash scripts/install-deps.sh

peers:
	bash scripts/install-peers.sh "$(PEER_VENV)"

build: deps
	swift build -c release

test: deps peers
	swift test

bench: deps peers
	bash scripts/bench.sh

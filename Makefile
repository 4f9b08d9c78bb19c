# Tidbok — the two commands that matter are `make run` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
export TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test lint fmt openapi build release clean

## Build and start the server on SQLite (./data/tidbok.db) with demo data and the dev login.
run: release
	TIDBOK_DEV_LOGIN=true TIDBOK_SEED_DEMO=true TIDBOK_OUTBOX_DIR=data/outbox ./$${CARGO_TARGET_DIR:-target}/release/tidbok serve

release:
	$(CARGO) build --release --locked -p tidbok-api --bin tidbok

build:
	$(CARGO) build --locked --workspace --all-targets

## Every check and test, on SQLite and PostgreSQL.
test: lint
	$(CARGO) test --locked --workspace --all-features

## Formatting and clippy, warnings as errors.
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --locked --workspace --all-targets --all-features -- -D warnings

fmt:
	$(CARGO) fmt --all

## Regenerate the committed contract and problem catalogue from the code.
openapi:
	$(CARGO) run --locked -q -p tidbok-api --bin tidbok -- openapi -o openapi/openapi.json
	$(CARGO) run --locked -q -p tidbok-api --bin tidbok -- problems -o docs/problems.md

clean:
	$(CARGO) clean
	rm -rf data test-artifacts

# Tidbok — the two commands that matter are `make run` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
export TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test

NPM ?= npm
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)

.PHONY: test-calendar run dev test lint fmt openapi build release web clean test-rust test-web e2e fuzz fuzz-smoke chaos chaos-smoke bench bench-smoke bench-compare

## Build and start the server on SQLite (./data/tidbok.db) with demo data, the dev
## login and the web app, at http://127.0.0.1:8080/.
run: release web
	TIDBOK_DEV_LOGIN=true TIDBOK_SEED_DEMO=true TIDBOK_OUTBOX_DIR=data/outbox TIDBOK_STATIC_DIR=frontend/dist \
		./$(TARGET_DIR)/release/tidbok serve

## Front-end work: the API on :8080 and Vite with hot reload on :5173 (proxying /api).
dev: frontend/node_modules
	$(CARGO) build --locked -p tidbok-api --bin tidbok
	TIDBOK_DEV_LOGIN=true TIDBOK_SEED_DEMO=true TIDBOK_OUTBOX_DIR=data/outbox ./$(TARGET_DIR)/debug/tidbok serve & \
		trap 'kill %1' EXIT; cd frontend && node_modules/.bin/vite

frontend/node_modules: frontend/package.json frontend/package-lock.json
	cd frontend && $(NPM) ci --no-audit --no-fund
	@touch frontend/node_modules

web: frontend/node_modules
	cd frontend && $(NPM) run build

release:
	$(CARGO) build --release --locked -p tidbok-api --bin tidbok

build:
	$(CARGO) build --locked --workspace --all-targets

## Every check and test: Rust on SQLite and PostgreSQL, the web app's types,
## lint and unit tests, and the browser tests against the real server.
test: lint test-rust test-calendar test-web e2e fuzz-smoke chaos-smoke bench-smoke

test-rust:
	$(CARGO) test --locked --workspace --all-features

test-web: frontend/node_modules
	cd frontend && $(NPM) run api:check && $(NPM) run typecheck && $(NPM) run lint && $(NPM) test

## Playwright (Debian's chromium) against the debug server binary and the built app.
e2e: web
	$(CARGO) build --locked -p tidbok-api --bin tidbok
	cd frontend && TIDBOK_BIN=$(abspath $(TARGET_DIR))/debug/tidbok $(NPM) run e2e

## Contract fuzzing (schemathesis) of the debug server with a token per role:
## a bounded run in `make test`, a long one with `make fuzz`. schemathesis and
## its dependencies, pinned in tests/fuzz/requirements.txt, are installed into
## the project's own virtual environment (.venv/) on first use.
FUZZ_EXAMPLES ?= 300
PYTHON ?= python3
.venv/bin/st: tests/fuzz/requirements.txt
	$(PYTHON) -m venv .venv
	.venv/bin/pip install --quiet --disable-pip-version-check -r tests/fuzz/requirements.txt
	@touch .venv/bin/st

## The calendar files' second parser: Python's icalendar reads the fixtures the
## renderer writes (tests/fixtures/calendar; crates/api checks they are current).
test-calendar: .venv/bin/st
	.venv/bin/python tests/calendar/check.py

fuzz-smoke: .venv/bin/st
	$(CARGO) build --locked -p tidbok-api --bin tidbok
	tests/fuzz/run.sh $(abspath $(TARGET_DIR))/debug/tidbok 10

fuzz: .venv/bin/st
	$(CARGO) build --locked -p tidbok-api --bin tidbok
	tests/fuzz/run.sh $(abspath $(TARGET_DIR))/debug/tidbok $(FUZZ_EXAMPLES)

## Consistency under faults (crates/harness, tidbok-chaos): a history-recording
## client against the real binary while it is killed and restarted, two servers
## share one PostgreSQL, PostgreSQL itself is restarted and 40001s are injected;
## then the checker reads the database. Bounded in `make test`, long with `make chaos`.
CHAOS_OPS ?= 20000
CHAOS = $(abspath $(TARGET_DIR))/debug/tidbok-chaos --bin $(abspath $(TARGET_DIR))/debug/tidbok
chaos-smoke:
	$(CARGO) build --locked -p tidbok-api --bin tidbok -p tidbok-harness --bin tidbok-chaos
	$(CHAOS) --backend sqlite --ops 3000
	$(CHAOS) --backend postgres --ops 3000

chaos:
	$(CARGO) build --locked -p tidbok-api --bin tidbok -p tidbok-harness --bin tidbok-chaos
	$(CHAOS) --backend sqlite --ops $(CHAOS_OPS)
	$(CHAOS) --backend postgres --ops $(CHAOS_OPS)

## The benchmark (crates/harness, tidbok-bench): builds the release binary, a region
## of >= 1 M slots and 100 k residents on BENCH_DB (postgres | sqlite), drives the
## server over loopback and prints the figures beside the database's own ceiling.
## `make bench-smoke` runs the same harness on a small region (in `make test`).
BENCH_DB ?= postgres
bench:
	$(CARGO) build --release --locked -p tidbok-api --bin tidbok -p tidbok-harness --bin tidbok-bench
	BENCH_DB=$(BENCH_DB) $(abspath $(TARGET_DIR))/release/tidbok-bench --bin $(abspath $(TARGET_DIR))/release/tidbok

bench-smoke:
	$(CARGO) build --locked -p tidbok-api --bin tidbok -p tidbok-harness --bin tidbok-bench
	$(abspath $(TARGET_DIR))/debug/tidbok-bench --smoke --db sqlite --bin $(abspath $(TARGET_DIR))/debug/tidbok
	$(abspath $(TARGET_DIR))/debug/tidbok-bench --smoke --db postgres --bin $(abspath $(TARGET_DIR))/debug/tidbok
	$(abspath $(TARGET_DIR))/debug/tidbok-bench --smoke --db sqlite --bin $(abspath $(TARGET_DIR))/debug/tidbok \
		--baseline $(abspath $(TARGET_DIR))/debug/tidbok

## `make bench-compare BASE=<commit>` builds that commit (it must have the same migrations)
## beside this one and runs the benchmark's comparison: both builds serve one region and take
## turns (A B B A) on the searches, my bookings and booking; it prints each build's req/s and the
## server's CPU time per request. BENCH_DB as for `make bench`.
BASE ?= HEAD
BASELINE_DIR = $(abspath $(TARGET_DIR))/baseline
bench-compare:
	$(CARGO) build --release --locked -p tidbok-api --bin tidbok -p tidbok-harness --bin tidbok-bench
	rm -rf $(BASELINE_DIR)/src && git worktree prune
	git worktree add --detach $(BASELINE_DIR)/src $(BASE)
	cd $(BASELINE_DIR)/src && CARGO_TARGET_DIR=$(BASELINE_DIR) $(CARGO) build --release --locked -p tidbok-api --bin tidbok
	git worktree remove --force $(BASELINE_DIR)/src
	BENCH_DB=$(BENCH_DB) $(abspath $(TARGET_DIR))/release/tidbok-bench --bin $(abspath $(TARGET_DIR))/release/tidbok \
		--baseline $(BASELINE_DIR)/release/tidbok

## Formatting and clippy, warnings as errors.
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --locked --workspace --all-targets --all-features -- -D warnings

fmt:
	$(CARGO) fmt --all

## Regenerate the committed contract, problem catalogue and web-app API types from the code.
openapi: frontend/node_modules
	$(CARGO) run --locked -q -p tidbok-api --bin tidbok -- openapi -o openapi/openapi.json
	$(CARGO) run --locked -q -p tidbok-api --bin tidbok -- problems -o docs/problems.md
	cd frontend && $(NPM) run api

clean:
	$(CARGO) clean
	rm -rf data test-artifacts frontend/dist frontend/node_modules .venv

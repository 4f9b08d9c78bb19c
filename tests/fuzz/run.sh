#!/usr/bin/env bash
# Contract fuzzing: schemathesis (PyPI) against the running server's own
# OpenAPI document, all checks on, with a token for each role (resident,
# staff, unit admin, regional admin); the ignored_auth check repeats every
# operation without the token and expects 401.
#
#   tests/fuzz/run.sh <tidbok binary> [max-examples per operation]
#
# Exits non-zero on any server error, schema violation or undocumented status.
# Reports (JUnit) land in test-artifacts/fuzz/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${1:?usage: run.sh <tidbok binary> [max-examples]}"
examples="${2:-15}"
# schemathesis from the project's own virtual environment (`make` installs
# tests/fuzz/requirements.txt into .venv/); ST overrides.
st="${ST:-$root/.venv/bin/st}"
[ -x "$st" ] || { echo "schemathesis is missing at $st: run 'make .venv/bin/st'" >&2; exit 1; }

work="$(mktemp -d)"
reports="$root/test-artifacts/fuzz"
mkdir -p "$reports"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"

# Demo data, the dev login for tokens, and limits far above what the fuzzer
# sends (the limits themselves are tested in tests/api/operations.rs).
TIDBOK_PORT="$port" DATABASE_URL="sqlite:$work/fuzz.db" TIDBOK_DEV_LOGIN=true TIDBOK_SEED_DEMO=true \
    TIDBOK_LOGIN_PER_MINUTE=100000 TIDBOK_BOOKINGS_PER_MINUTE=100000 TIDBOK_BOOKINGS_PER_CLIENT_PER_MINUTE=100000 \
    TIDBOK_MAX_ACTIVE_BOOKINGS_PER_TYPE=0 TIDBOK_OUTBOX_DIR="$work/outbox" TIDBOK_LOG=error \
    "$bin" serve >"$reports/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.1; done
curl -fs "$base/readyz" >/dev/null || { echo "the server did not start" >&2; cat "$reports/server.log" >&2; exit 1; }

token() {
    curl -fs -X POST "$base/api/v1/dev/login" -H 'Content-Type: application/json' -d "{\"persona\":\"$1\"}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

status=0
fuzz() {
    local who="$1"; shift
    echo "== schemathesis as $who ($examples examples per operation)"
    if ! "$st" --config-file "$here/schemathesis.toml" run "$base/api-docs/openapi.json" \
        --checks all --max-examples "$examples" --seed 20261126 --generation-database none \
        --report junit --report-junit-path "$reports/$who.xml" "$@"; then
        status=1
    fi
}
for persona in anna sara ulla rolf; do
    fuzz "$persona" -H "Authorization: Bearer $(token "$persona")"
done
# A request actix cannot even parse (a control character in a header) is
# answered 400 and logged by actix as an error of the client's; anything else
# logged at error level is the server's.
if grep -E '"ERROR"|panicked' "$reports/server.log" | grep -v 'request parse error' | grep -q .; then
    echo "the server logged errors while fuzzed:" >&2
    grep -E '"ERROR"|panicked' "$reports/server.log" | grep -v 'request parse error' | head -20 >&2
    status=1
fi
exit $status

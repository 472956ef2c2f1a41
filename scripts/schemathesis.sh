#!/usr/bin/env bash
# Fuzzes a built collector with Schemathesis against the OpenAPI document it serves (/openapi.yaml).
#
#   scripts/schemathesis.sh PATH_TO_DESKREADY_BINARY
#
# It sets up a throw-away database (trust RXX, an enrolment token), starts `deskready serve` on a free port,
# enrols device fuzz-1 (site RXX01) over HTTP, and runs Schemathesis with that device token against every
# operation. The checks are not_a_server_error, status_code_conformance, content_type_conformance,
# response_headers_conformance and response_schema_conformance. Then it stops the collector with SIGTERM and
# runs `deskready check` on the database. The exit code is the verdict.
#
# So that fuzzing reaches the database, not only the refusals in front of it:
#   - POST /v1/enrol is sent with the enrolment token (the device token would only ever get 403);
#   - a hooks file rewrites about half of the generated batches to name device fuzz-1 of trust RXX and moves
#     their events' started_at_ms into the last 29 days, so they pass the token and clock checks and are stored.
#
# Environment:
#   SCHEMATHESIS_ROLE          whose token every request carries: device (default: the enrolled device, with the
#                              enrolment token on POST /v1/enrol), reader (trust RXX), admin, enrolment or importer
#                              (trust RXX) or toolkit; each role's run must find no server error either
#   SCHEMATHESIS_MAX_EXAMPLES  test cases per operation and phase (default 50)
#   SCHEMATHESIS_MAX_TIME      fuzz until this many seconds are spent instead of stopping after the examples
#                              (default: unset; keep it below SCHEMATHESIS_HARD_LIMIT)
#   SCHEMATHESIS_HARD_LIMIT    seconds after which the run is killed and counted a failure (default 180)
#   SCHEMATHESIS_SEED          seed, for a reproducible run (default: random, printed by Schemathesis)
#   SCHEMATHESIS_VENV          reuse (or create) the virtualenv with Schemathesis here instead of the temp dir
#   DESKREADY_OPENAPI          test against this local file instead of the served document (for a document
#                              that is not yet embedded in the binary)
set -euo pipefail

die() { echo "schemathesis.sh: $*" >&2; exit 2; }

[[ $# -eq 1 ]] || die "usage: scripts/schemathesis.sh PATH_TO_DESKREADY_BINARY"
[[ -x "$1" && ! -d "$1" ]] || die "$1 is not an executable file"
deskready=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
command -v curl >/dev/null || die "curl is needed"
command -v python3 >/dev/null || die "python3 is needed"

max_examples=${SCHEMATHESIS_MAX_EXAMPLES:-50}
max_time=${SCHEMATHESIS_MAX_TIME:-}
hard_limit=${SCHEMATHESIS_HARD_LIMIT:-180}
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance
phases=examples,coverage,fuzzing

work=$(mktemp -d "${TMPDIR:-/tmp}/deskready-schemathesis.XXXXXX")
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

db="$work/collector.sqlite"
log="$work/serve.log"

# A trust and an enrolment token for it (the token is on stdout, the advice on stderr).
"$deskready" trust add RXX --name Test --db "$db" >/dev/null
enrolment_token=$("$deskready" enrol-token create --trust RXX --db "$db" 2>/dev/null)
[[ "$enrolment_token" == dre_* ]] || die "enrol-token create printed no enrolment token"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
base="http://127.0.0.1:$port"
"$deskready" serve --db "$db" --listen "127.0.0.1:$port" --log-level warning >"$log" 2>&1 &
server_pid=$!

for _ in $(seq 1 150); do
    curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; die "deskready serve exited before answering /healthz"; }
    sleep 0.2
done
curl -fsS -o /dev/null "$base/healthz" || { cat "$log" >&2; die "deskready serve did not answer /healthz on $base"; }

# Enrol the device the batches are written for.
status=$(curl -sS -o "$work/enrol.json" -w '%{http_code}' -X POST "$base/v1/enrol" \
    -H "Authorization: Bearer $enrolment_token" -H 'Content-Type: application/json' \
    --data '{"device_id":"fuzz-1","site":"RXX01"}')
[[ "$status" == 201 ]] || { cat "$work/enrol.json" >&2; die "POST /v1/enrol answered $status, not 201"; }
device_token=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["device_token"])' "$work/enrol.json")
[[ "$device_token" == drd_* ]] || die "POST /v1/enrol gave no device token"

# Every other role's token, so each role's run reaches past authentication.
role=${SCHEMATHESIS_ROLE:-device}
case "$role" in
    device) role_token=$device_token ;;
    enrolment) role_token=$enrolment_token ;;
    reader | importer) role_token=$("$deskready" token create --role "$role" --trust RXX --db "$db" 2>/dev/null) ;;
    admin | toolkit) role_token=$("$deskready" token create --role "$role" --db "$db" 2>/dev/null) ;;
    *) die "SCHEMATHESIS_ROLE must be device, reader, admin, enrolment, importer or toolkit, not '$role'" ;;
esac
[[ "$role_token" == dr?_* ]] || die "no $role token was issued"

# Schemathesis 4 (the options below are its); an installed one is used when it is new enough.
st=()
if command -v st >/dev/null && [[ "$(st --version 2>/dev/null)" =~ version\ ([0-9]+) ]] && (( BASH_REMATCH[1] >= 4 )); then
    st=(st)
elif python3 -c 'import schemathesis, sys; sys.exit(int(schemathesis.__version__.split(".")[0]) < 4)' 2>/dev/null; then
    st=(python3 -m schemathesis.cli)
else
    venv=${SCHEMATHESIS_VENV:-$work/venv}
    if [[ ! -x "$venv/bin/st" ]]; then
        echo "schemathesis.sh: installing schemathesis into $venv" >&2
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q --disable-pip-version-check 'schemathesis>=4,<5'
    fi
    st=("$venv/bin/st")
fi

cat >"$work/hooks.py" <<'PY'
"""Steers part of the generated batches onto the enrolled device, so that they get past the token's device
and trust check (403) and the clock check, and are stored."""
import json
import time
import zlib

import schemathesis

DEVICE = {"id": "fuzz-1", "trust": "RXX", "site": "RXX01"}
DAY_MS = 86_400_000


def _chosen(body):
    return zlib.crc32(json.dumps(body, sort_keys=True, default=str).encode()) % 2 == 0


@schemathesis.hook
def before_call(context, case, kwargs):
    body = case.body
    if not isinstance(body, dict):
        return
    if case.operation.path == "/v1/enrol":
        # Enrolling fuzz-1 again would revoke the device token this run uses.
        if body.get("device_id") == "fuzz-1":
            body["device_id"] = "fuzz-2"
        return
    if case.operation.path != "/v1/batches" or not isinstance(body.get("device"), dict) or not _chosen(body):
        return
    body["device"] = dict(DEVICE)
    # A plain body marked gzip is refused (400) before it is decoded; send these as they are.
    if case.headers is not None and "Content-Encoding" in case.headers:
        case.headers["Content-Encoding"] = "identity"
    now = int(time.time() * 1000)
    events = body.get("events")
    if isinstance(events, list):
        for event in events:
            started = event.get("started_at_ms") if isinstance(event, dict) else None
            if isinstance(started, int) and not isinstance(started, bool):
                event["started_at_ms"] = now - abs(started) % (29 * DAY_MS)
PY

cat >"$work/schemathesis.toml" <<TOML
hooks = "$work/hooks.py"
TOML
if [[ "$role" == device ]]; then
    cat >>"$work/schemathesis.toml" <<TOML

[[operations]]
include-path = "/v1/enrol"
headers = { Authorization = "Bearer $enrolment_token" }
TOML
fi

schema="$base/openapi.yaml"
if [[ -n "${DESKREADY_OPENAPI:-}" ]]; then
    schema=$(cd "$(dirname "$DESKREADY_OPENAPI")" && pwd)/$(basename "$DESKREADY_OPENAPI")
    [[ -f "$schema" ]] || die "DESKREADY_OPENAPI=$DESKREADY_OPENAPI is not a file"
fi

args=(
    run "$schema"
    --url "$base"
    -H "Authorization: Bearer $role_token"
    --checks "$checks"
    --phases "$phases"
    --max-examples "$max_examples"
    --request-timeout 10
    # One worker: CPython 3.11 before 3.11.8 can fail ast.parse run from two threads at once ("AST constructor
    # recursion depth mismatch", gh-106905), which Hypothesis does when it describes Schemathesis' filters.
    --workers 1
    --generation-database none
    --suppress-health-check all
    --report junit --report-junit-path "$work/junit.xml"
    --no-color
)
if [[ -n "$max_time" ]]; then args+=(--max-time "$max_time"); fi
if [[ -n "${SCHEMATHESIS_SEED:-}" ]]; then args+=(--seed "$SCHEMATHESIS_SEED"); fi

echo "schemathesis.sh: fuzzing $schema against $base as $role (device fuzz-1 of trust RXX)" >&2
started=$(date +%s)
st_status=0
(cd "$work" && exec timeout --kill-after=10 "$hard_limit" "${st[@]}" --config-file "$work/schemathesis.toml" "${args[@]}") || st_status=$?
elapsed=$(( $(date +%s) - started ))
if (( st_status == 124 || st_status == 137 )); then
    echo "schemathesis.sh: schemathesis ran past the hard limit of ${hard_limit} s and was stopped" >&2
fi

# What reached the collector, by route and status, and what was stored.
curl -fsS "$base/metrics" 2>/dev/null | grep -E '^deskready_(http_requests|events)_total' | sed 's/^/  /' >&2 || true

# Stop the collector as systemd would, then check the database it leaves.
kill -TERM "$server_pid"
server_status=0
wait "$server_pid" || server_status=$?
server_pid=""
if (( server_status != 0 )); then
    echo "schemathesis.sh: deskready serve exited with status $server_status after SIGTERM; its log:" >&2
    cat "$log" >&2
fi
check_status=0
"$deskready" check --db "$db" || check_status=$?

echo "schemathesis.sh: schemathesis took ${elapsed} s and exited with $st_status; deskready check exited with $check_status" >&2
# Counts from the JUnit report (one test case per API operation), as the last line.
if [[ -s "$work/junit.xml" ]]; then
    python3 - "$work/junit.xml" <<'PY' || true
import sys
import xml.etree.ElementTree as ET

cases = list(ET.parse(sys.argv[1]).getroot().iter("testcase"))
bad = sum(1 for c in cases if c.find("failure") is not None or c.find("error") is not None)
print(f"schemathesis: {len(cases) - bad} passed, {bad} failed")
PY
fi

(( st_status == 0 && server_status == 0 && check_status == 0 ))

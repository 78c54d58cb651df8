#!/usr/bin/env bash
# Load run: the demo database in a temporary TIENDO_DATA_DIR, gunicorn on 127.0.0.1, then
# 50 simulated demo people (bench/locustfile.py) for 5 minutes, headless; stops by itself.
# Prints p50/p95 per request and the error count. Usage: bench/load.sh [users] [duration]
# Options via the environment: TIENDO_LOAD_PORT (8765), TIENDO_LOAD_WORKERS (3).
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${1:-50}
DURATION=${2:-5m}
PORT=${TIENDO_LOAD_PORT:-8765}
WORKERS=${TIENDO_LOAD_WORKERS:-3}
DATA=$(mktemp -d /tmp/tiendo-load.XXXXXX)
export TIENDO_DATA_DIR=$DATA DJANGO_SETTINGS_MODULE=config.settings.dev TIENDO_DEBUG=0
unset DATABASE_URL
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT

echo "== seeding the demo into $DATA (SQLite)"
.venv/bin/tiendo demo --seed-only | tail -n 1
# Everyone with a membership in an open unit: heads and officers, who have tasks to report on.
.venv/bin/tiendo shell -c "
from tiendo.accounts.models import Membership
names = sorted(set(Membership.objects.filter(unit__closed_on__isnull=True, user__is_active=True)
    .values_list('user__username', flat=True)))
print('\n'.join(names))" > "$DATA/users.txt"
echo "== $(wc -l < "$DATA/users.txt") demo people to sign in as"

echo "== gunicorn on 127.0.0.1:$PORT, $WORKERS workers"
.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --log-level warning > "$DATA/gunicorn.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/login/" && break
  sleep 0.5
done

echo "== locust: $USERS users for $DURATION"
TIENDO_LOAD_USERS="$DATA/users.txt" .venv/bin/locust -f bench/locustfile.py --headless \
  --host "http://127.0.0.1:$PORT" -u "$USERS" -r 5 -t "$DURATION" --stop-timeout 10 \
  --json-file "$DATA/stats" --only-summary --loglevel WARNING 2>&1 | tail -n 30 || true

# p50/p95 from locust's final statistics (response-time histograms), per request and overall.
.venv/bin/python - "$DATA/stats.json" <<'PY'
import json, sys
from collections import Counter

def pct(times: Counter, q: float) -> int:
    total, seen = sum(times.values()), 0
    for ms in sorted(times):
        seen += times[ms]
        if seen >= q * total:
            return ms
    return 0

stats = json.load(open(sys.argv[1]))
overall, requests, errors = Counter(), 0, 0
print(f"{'request':38} {'count':>7} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7}")
for s in stats:
    times = Counter({int(float(k)): v for k, v in s["response_times"].items()})
    overall.update(times)
    requests += s["num_requests"]
    errors += s["num_failures"]
    print(f"{s['method'] + ' ' + s['name']:38.38} {s['num_requests']:>7} {s['num_failures']:>6} "
          f"{pct(times, .5):>7} {pct(times, .95):>7}")
print(f"TOTAL requests={requests} errors={errors} p50={pct(overall, .5)}ms p95={pct(overall, .95)}ms")
PY
if grep -q "Traceback\|ERROR" "$DATA/gunicorn.log"; then
  echo "== server errors:"; grep -m 20 -A3 "Traceback\|ERROR" "$DATA/gunicorn.log"
fi

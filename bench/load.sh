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
  --csv "$DATA/load" --only-summary --loglevel WARNING 2>&1 | tail -n 40 || true

.venv/bin/python - "$DATA/load_stats.csv" "$DATA/load_failures.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(f"{'request':38} {'count':>7} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7}")
for r in rows:
    print(f"{r['Name'][:38]:38} {r['Request Count']:>7} {r['Failure Count']:>6} "
          f"{r['50%']:>7} {r['95%']:>7}")
total = next(r for r in rows if r["Name"] == "Aggregated")
print(f"TOTAL requests={total['Request Count']} errors={total['Failure Count']} "
      f"p50={total['50%']}ms p95={total['95%']}ms rps={float(total['Requests/s']):.1f}")
failures = list(csv.DictReader(open(sys.argv[2])))
for f in failures:
    print("failure:", f["Method"], f["Name"], f["Occurrences"], f["Error"][:200])
PY
if grep -q "Traceback\|ERROR" "$DATA/gunicorn.log"; then
  echo "== server errors:"; grep -m 20 -A3 "Traceback\|ERROR" "$DATA/gunicorn.log"
fi

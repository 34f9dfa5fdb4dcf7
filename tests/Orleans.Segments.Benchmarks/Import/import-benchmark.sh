#!/usr/bin/env bash
# The bulk-import figure of docs/benchmarks.md ("Bulk import of 1,000,000 users"): makes N realistic users as NDJSON
# (five traits of three types, one device each, two thirds iOS, consents, first and last seen over two years; the same
# file for the same N), starts the server in Release on the embedded default or on a Redis at REDIS, posts the file
# with curl as an app's backend would, and prints users/s and memory.
#
#   tests/Orleans.Segments.Benchmarks/Import/import-benchmark.sh [N=1000000] [embedded|redis]
#   (redis: starts its own redis-server on port 6390, without persistence)
set -euo pipefail
N=${1:-1000000}
STORE=${2:-embedded}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
WORK=$(mktemp -d)
FILE=$WORK/users.ndjson
PORT=5080
trap 'kill ${SERVER:-} ${REDIS_PID:-} 2>/dev/null || true; rm -rf "$WORK"' EXIT

python3 - "$N" "$FILE" <<'PY'
import json, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(7)
plans = ["free", "plus", "pro"]; cities = ["Berlin", "Vienna", "Lisbon", "Paris", "Austin", "Osaka", "Lagos", "Lima"]
with open(path, "w") as f:
    for i in range(n):
        ios = i % 3 != 0
        token = "%064x" % rng.getrandbits(256) if ios else "f%020x:APA91b%0120x" % (rng.getrandbits(80), rng.getrandbits(480))
        user = {"userId": f"imp-{i:07d}",
                "traits": {"first_name": f"User{i}", "plan": plans[i % 3], "city": cities[i % 8], "orders": i % 40, "vip": i % 17 == 0},
                "devices": [{"token": token, "platform": "ios" if ios else "android"}],
                "consents": {"marketing": i % 4 != 0, "transactional": True},
                "firstSeen": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00Z",
                "lastSeen": f"2026-{1 + i % 11:02d}-{1 + i % 28:02d}T{i % 24:02d}:30:00Z"}
        f.write(json.dumps(user) + "\n")
PY
echo "made $N users: $(du -h "$FILE" | cut -f1)"

ARGS=()
if [ "$STORE" = redis ]; then
  redis-server --port 6390 --save "" --appendonly no >"$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  sleep 1
  ARGS=(--Segments:Redis:ConnectionString=localhost:6390)
fi

dotnet build -c Release "$ROOT/src/Orleans.Segments.Server" -v q -nologo >/dev/null
dotnet "$ROOT/src/Orleans.Segments.Server/bin/Release/net10.0/Orleans.Segments.Server.dll" --urls=http://localhost:$PORT "${ARGS[@]}" >"$WORK/server.log" 2>&1 &
SERVER=$!
# Why: bounded wait for a real process to start listening.
for _ in $(seq 1 120); do curl -s -o /dev/null "http://localhost:$PORT/health/ready" && break; sleep 1; done
KEY=$(grep -o -E "ak_[A-Za-z0-9_-]+" "$WORK/server.log" | head -1)

START=$(date +%s.%N)
curl -s -X POST -H "Authorization: Bearer $KEY" -H "Content-Type: application/x-ndjson" -T "$FILE" \
  "http://localhost:$PORT/v1/users/import?importId=benchmark" -o "$WORK/answer.json"
END=$(date +%s.%N)
python3 - "$START" "$END" "$N" "$WORK/answer.json" <<'PY'
import json, sys
start, end, n, answer = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), json.load(open(sys.argv[4]))
print(f"RESULT import: {answer['imported']:,} imported ({answer['created']:,} new, {answer['failed']:,} refused) of {n:,} lines in {end - start:.1f} s = {answer['imported'] / (end - start):,.0f} users/s")
PY
echo "server RSS: $(($(ps -o rss= -p $SERVER) / 1024)) MB"
if [ "$STORE" = redis ]; then echo "redis: $(redis-cli -p 6390 info memory | grep used_memory_human)"; fi

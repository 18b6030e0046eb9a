#!/usr/bin/env bash
# Measures what docs/benchmarks.md reports about start-up and memory:
#   - time from `java -jar` to /actuator/health UP, with a fresh data directory (initdb, migrations,
#     demo data) and with an existing one;
#   - resident memory (RSS) and JVM heap of the idle app after a few page views.
# Usage: bench/startup.sh [runs]   (build first: ./mvnw -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
jar=$(ls target/klinika-*.jar | head -1)
port=18080
pgport=54339
dir=$(mktemp -d)
trap 'pkill -f "klinika.embedded-db.data-dir=$dir" 2>/dev/null || true; rm -rf "$dir"' EXIT

start() {  # $1 = data dir; prints milliseconds until health is UP, leaves the app running
  local t0 t1
  t0=$(date +%s%N)
  java -jar "$jar" --server.port=$port --klinika.embedded-db.port=$pgport \
    --klinika.embedded-db.data-dir="$1" >"$dir/app.log" 2>&1 &
  until curl -fs "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q UP; do sleep 0.05; done
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}

stop() {
  pkill -f "klinika.embedded-db.data-dir=$1" || true
  while pgrep -f "klinika.embedded-db.data-dir=$1" >/dev/null; do sleep 0.1; done
  sleep 1  # the embedded PostgreSQL stops after the JVM
}

echo "| run | fresh data dir (ms) | existing data dir (ms) |"
echo "|---|---|---|"
for i in $(seq 1 "$runs"); do
  data="$dir/pg-$i"
  fresh=$(start "$data"); stop "$data"
  again=$(start "$data"); stop "$data"
  echo "| $i | $fresh | $again |"
done

data="$dir/pg-mem"
start "$data" >/dev/null
for path in /login /actuator/health /css/klinika.css; do curl -s -o /dev/null "http://127.0.0.1:$port$path"; done
sleep 5
pid=$(pgrep -f "klinika.embedded-db.data-dir=$data" | head -1)
rss=$(ps -o rss= -p "$pid")
heap=$(curl -s -u owner:klinika "http://127.0.0.1:$port/actuator/metrics/jvm.memory.used?tag=area:heap" \
  | sed -n 's/.*"value":\([0-9.E]*\).*/\1/p')
pgrss=$(ps -eo rss,args | awk -v d="$data" '$0 ~ "postgres" && $0 ~ d {s+=$1} END {print s+0}')
echo
echo "idle app: JVM RSS $((rss / 1024)) MiB, heap used $(python3 -c "print(round(float('$heap')/1048576))") MiB; embedded PostgreSQL processes RSS $((pgrss / 1024)) MiB"
stop "$data"

#!/usr/bin/env bash
# The performance benchmark of docs/BENCHMARKS.md: 1M sessions in one account, then 10M over
# 100 accounts, each measured beside the original plan's query shapes in the same run.
# Not part of CI (a smoke run is, in tests/it/bench_smoke.rs). Takes a while and, while it runs,
# some disk (about 1 GB per million sessions).
# Usage: scripts/bench.sh [all|1m|10m|small|ingest] — `small` is 100k sessions, for a quick
# look; `ingest` is only the ingest API under load, on 1M seeded sessions. BENCH_REPORT names
# another report file than docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
pg_base=${PG_BASE_URL:-postgres://postgres@127.0.0.1:5432}
export PATH="$HOME/.cargo/bin:$PATH"
DATABASE_URL="$pg_base/flowpilot_analytics" scripts/setup.sh
cargo build --release --features ssr --bins
bin=target/release/flowpilot-analytics
bench=target/release/flowpilot-bench
report=${BENCH_REPORT:-docs/BENCHMARKS.md}
mkdir -p docs

fresh_db() {
  psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS flowpilot_bench" -c "CREATE DATABASE flowpilot_bench"
}

{
  echo "# Benchmarks"
  echo
  echo "Produced by \`scripts/bench.sh\` (the \`flowpilot-bench\` binary, src/bin/bench/)."
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "- PostgreSQL: $(psql "$pg_base/postgres" -tAc 'SHOW server_version')"
  echo
  echo "**Query** is the data source's SQL as the server runs it (warm pool); **fresh connection**"
  echo "is the same on a new connection after \`DISCARD ALL\` (catalog and plan caches cold, OS cache"
  echo "warm); **endpoint** is the JSON endpoint through the real router (auth, serialisation);"
  echo "**page** is the tab's full server-rendered HTML page through the same router, and **page −"
  echo "query** what rendering adds to the query time;"
  echo "**rows read** and **buffers** sum \`EXPLAIN (ANALYZE, BUFFERS)\` over the source's statements;"
  echo "**baseline** is the original plan's query shape (coverage as three queries, flow quality as"
  echo "two COUNTs per flow, overview and PSA as one scan of the raw rows per metric, i.e. our"
  echo "queries before the daily rollups) on a copy of the tables with primary keys only, measured"
  echo "in the same run. The machine is shared: compare within a table."
  echo
} > "$report"

# The bench database (several GB at 10M sessions) is dropped when the script ends, however it
# ends; KEEP_BENCH_DB=1 keeps it for a look with psql.
cleanup() {
  [ "${KEEP_BENCH_DB:-}" = 1 ] || psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS flowpilot_bench" || true
}
trap cleanup EXIT

run() { # label accounts sessions-per-account baseline-iterations [bench options…]
  fresh_db
  echo >> "$report"
  DATABASE_URL="$pg_base/flowpilot_bench" "$bench" --label "$1" --accounts "$2" \
    --sessions-per-account "$3" --baseline-iterations "$4" --iterations 10 --report "$report" "${@:5}"
}

# Full page renders under load: the release server on the bench data, a signed-in admin, wrk
# on loopback hammering each tab's 90-day page (the rate limit raised for the run). Client,
# server and PostgreSQL share the machine's cores, so this is the whole system's throughput.
load() { # label
  command -v wrk >/dev/null || { if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk; else sudo apt-get install -y -qq wrk; fi; }
  local url="$pg_base/flowpilot_bench" addr=127.0.0.1:3900 email=load@bench.example password=load-test-password
  DATABASE_URL="$url" FLOWPILOT_ADMIN_PASSWORD="$password" "$bin" create-admin --email "$email" --account "Seed account 001" >/dev/null
  DATABASE_URL="$url" LEPTOS_SITE_ADDR=$addr FLOWPILOT_SECURE_COOKIES=false \
    FLOWPILOT_RATE_LIMIT_PER_MINUTE=100000000 RUST_LOG=warn "$bin" serve >/tmp/flowpilot-load.log 2>&1 &
  local server=$!
  for _ in $(seq 60); do curl -sf "http://$addr/healthz" >/dev/null && break; sleep 1; done
  local cookie
  cookie=$(curl -s -o /dev/null -D - -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" "http://$addr/api/v1/auth/login" \
    | sed -nE 's/^set-cookie: ([^;]+);.*/\1/ip' | head -n 1)
  {
    echo
    echo "#### Page renders under load — $1"
    echo
    echo "\`wrk -t2 -c8 -d15s\` per tab, 90-day period, signed in, on loopback (server, PostgreSQL"
    echo "and wrk on the same $(nproc) cores)."
    echo
    echo "| page | requests/s | latency p50 | p99 | bytes/page | non-2xx |"
    echo "|---|---|---|---|---|---|"
    for page in "" /coverage /flow-quality /psa; do
      local target="http://$addr/analytics$page?period=90d"
      local size out
      size=$(curl -s -H "cookie: $cookie" "$target" | wc -c)
      out=$(wrk -t2 -c8 -d15s --latency -H "cookie: $cookie" "$target")
      echo "| /analytics$page | $(awk '/Requests\/sec/ {print $2}' <<<"$out") | $(awk '$1 == "50%" {print $2}' <<<"$out") | $(awk '$1 == "99%" {print $2}' <<<"$out") | $size | $(awk '/Non-2xx/ {n = $NF} END {print n + 0}' <<<"$out") |"
    done
  } >> "$report"
  kill "$server"; wait "$server" 2>/dev/null || true
}

# The ingest API under load (SPEC §12): the release server with its limits raised, driven over
# loopback by flowpilot-bench --ingest-load (its clients, the stub ConnectWise they push to,
# the rollups checked against a rebuild afterwards). On the data already there, or — with a
# sessions count — on a fresh database seeded by the bench first.
ingest_load() { # label [sessions to seed first]
  local url="$pg_base/flowpilot_bench" addr=127.0.0.1:3901 secret seed_args=(--skip-seed)
  secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  if [ -n "${2:-}" ]; then fresh_db; seed_args=(--accounts 1 --sessions-per-account "$2"); fi
  DATABASE_URL="$url" LEPTOS_SITE_ADDR=$addr FLOWPILOT_SECURE_COOKIES=false FLOWPILOT_SECRET_KEY=$secret \
    FLOWPILOT_INGEST_RATE_PER_MIN=100000000 FLOWPILOT_METRICS_ADDR=off RUST_LOG=warn \
    "$bin" serve >/tmp/flowpilot-ingest-load.log 2>&1 &
  local server=$!
  for _ in $(seq 60); do curl -sf "http://$addr/healthz" >/dev/null && break; sleep 1; done
  echo >> "$report"
  DATABASE_URL="$url" FLOWPILOT_SECRET_KEY=$secret RUST_LOG=warn "$bench" --label "$1" \
    --ingest-load "http://$addr" --workers 16 --seconds 30 --report "$report" "${seed_args[@]}"
  kill "$server"; wait "$server" 2>/dev/null || true
}

case "${1:-all}" in
  ingest) ingest_load "Ingest API under load, on 1M sessions" 1000000 ;;
  small) run "100k sessions, one account" 1 100000 3; load "100k sessions, one account" ;;
  1m) run "1M sessions, one account" 1 1000000 3; load "1M sessions, one account"
    ingest_load "1M sessions, one account" ;;
  10m) run "10M sessions over 100 accounts" 100 100000 1 --skip-baseline flow-quality
    load "10M sessions over 100 accounts" ;;
  all)
    run "1M sessions, one account" 1 1000000 3; load "1M sessions, one account"
    ingest_load "1M sessions, one account"
    run "10M sessions over 100 accounts" 100 100000 1 --skip-baseline flow-quality
    load "10M sessions over 100 accounts"
    ;;
  *) echo "usage: scripts/bench.sh [all|1m|10m|small|ingest]" >&2; exit 2 ;;
esac
scripts/asset-sizes.sh "$report"

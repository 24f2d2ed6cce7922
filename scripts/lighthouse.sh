#!/usr/bin/env bash
# Lighthouse 12.2.3 on every analytics tab, signed in as the Northwind demo admin, mobile and
# desktop presets, in Debian's Chromium (SPEC §12, #16). Builds the release app with its
# precompressed, hash-named assets, loads the demo data into a database of its own, serves it
# on loopback and appends the figures to the report (default docs/BENCHMARKS.md; LIGHTHOUSE_REPORT
# names another file). Not part of CI: it measures, and the machine it runs on matters.
# Usage: scripts/lighthouse.sh [runs per page, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
pg_base=${PG_BASE_URL:-postgres://postgres@127.0.0.1:5432}
export PATH="$HOME/.cargo/bin:$PATH"
report=${LIGHTHOUSE_REPORT:-docs/BENCHMARKS.md}
url="$pg_base/flowpilot_lighthouse" addr=127.0.0.1:3902

DATABASE_URL="$url" scripts/setup.sh
(cd scripts/lighthouse && npm ci --no-audit --no-fund)
cargo leptos build --release --split
node scripts/precompress.mjs target/site

psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS flowpilot_lighthouse" -c "CREATE DATABASE flowpilot_lighthouse"
DATABASE_URL="$url" target/release/flowpilot-analytics seed --demo >/dev/null
DATABASE_URL="$url" LEPTOS_SITE_ADDR=$addr FLOWPILOT_SECURE_COOKIES=false \
  FLOWPILOT_RATE_LIMIT_PER_MINUTE=100000 FLOWPILOT_METRICS_ADDR=off RUST_LOG=warn \
  target/release/flowpilot-analytics serve >/tmp/flowpilot-lighthouse.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS flowpilot_lighthouse" || true' EXIT
for _ in $(seq 60); do curl -sf "http://$addr/healthz" >/dev/null && break; sleep 1; done

cookie=$(curl -s -o /dev/null -D - -H 'content-type: application/json' \
  -d '{"email":"admin@northwind.example","password":"flowpilot-demo"}' "http://$addr/api/v1/auth/login" \
  | sed -nE 's/^set-cookie: ([^;]+);.*/\1/ip' | head -n 1)
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }

{
  echo
  echo "#### Lighthouse $(node -p "require('./scripts/lighthouse/node_modules/lighthouse/package.json').version") — every tab signed in (\`scripts/lighthouse.sh\`)"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- $(/usr/bin/chromium --version 2>/dev/null | head -n 1), headless; the release server with the demo data"
  echo "  (Northwind MSP, 6,000 sessions) on loopback; $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
} >> "$report"
node scripts/lighthouse/run.mjs "http://$addr" "$cookie" "$report" "${1:-3}"

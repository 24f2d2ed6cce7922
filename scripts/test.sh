#!/usr/bin/env bash
# One command from a fresh clone to every test tier: setup, lints for both feature sets, unit
# and PostgreSQL integration tests, then Playwright (hydrated and JavaScript off) against the
# built app with demo data in its own database.
set -euo pipefail
cd "$(dirname "$0")/.."
pg_base=${PG_BASE_URL:-postgres://postgres@127.0.0.1:5432}
export PATH="$HOME/.cargo/bin:$PATH"
DATABASE_URL="$pg_base/flowpilot_analytics" scripts/setup.sh

ensure_db() { psql "$pg_base/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1 \
  || psql "$pg_base/postgres" -qc "CREATE DATABASE $1"; }

echo; echo "==> Lints (clippy -D warnings, ssr and hydrate; rustfmt)"
cargo fmt --check
cargo clippy --features ssr --all-targets -- -D warnings
cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

echo; echo "==> Unit and database integration tests"
# #[sqlx::test] makes a fresh database per test through this one.
ensure_db flowpilot_test
cargo test --features ssr --no-run
# Bounded, so a hung test fails the run instead of eating CI's budget.
DATABASE_URL="$pg_base/flowpilot_test" timeout 15m cargo test --features ssr

echo; echo "==> End-to-end tests (Playwright, Debian Chromium)"
cargo leptos build --split
node scripts/precompress.mjs target/site
# A fresh database each run: the demo data is the tests' fixture, and a database left by an
# older checkout may carry a migration this one has changed.
psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS flowpilot_e2e WITH (FORCE)" -c "CREATE DATABASE flowpilot_e2e"
export E2E_DATABASE_URL="$pg_base/flowpilot_e2e"
DATABASE_URL="$E2E_DATABASE_URL" target/debug/flowpilot-analytics seed --demo
# The rate-limit spec signs in as admins no other spec uses: limits are counted in PostgreSQL,
# shared by both Playwright servers, so other specs' page views would spend their budget.
for email in limits-hydrated@northwind.example limits-nojs@northwind.example; do
  DATABASE_URL="$E2E_DATABASE_URL" FLOWPILOT_ADMIN_PASSWORD=flowpilot-demo \
    target/debug/flowpilot-analytics create-admin --email "$email" --account "Northwind MSP" >/dev/null
done
# CI=1: servers of this build only (never one already listening), and no test.only.
cd end2end && CI=1 timeout 15m npx playwright test

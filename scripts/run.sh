#!/usr/bin/env bash
# One command from a fresh clone to the app with demo data at http://127.0.0.1:3000:
# setup, release build, migrations, demo data, serve. Re-running is quick and replaces the
# demo accounts with a fresh copy (nothing is duplicated).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/flowpilot_analytics}
# Plain HTTP on loopback: the session cookie cannot be Secure here.
export FLOWPILOT_SECURE_COOKIES=${FLOWPILOT_SECURE_COOKIES:-false}
export PATH="$HOME/.cargo/bin:$PATH"

scripts/setup.sh
echo; echo "==> Building (release)"
cargo leptos build --release --split
node scripts/precompress.mjs target/site
echo; echo "==> Demo data"
target/release/flowpilot-analytics seed --demo
echo; echo "==> Serving at http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000} (Ctrl-C to stop)"
exec target/release/flowpilot-analytics serve

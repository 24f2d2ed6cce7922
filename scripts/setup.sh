#!/usr/bin/env bash
# Installs whatever this machine lacks to build, run and test FlowPilot Analytics, then makes
# sure PostgreSQL answers at DATABASE_URL. Safe and quick to re-run: every step checks first.
# Debian/Ubuntu; needs root (or sudo) only for apt-get and for starting PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/flowpilot_analytics}
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

step "System packages"
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v pg_isready >/dev/null || missing+=(postgresql-client)
command -v pkg-config >/dev/null || missing+=(pkg-config)
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; else echo "present"; fi

step "Rust toolchain and wasm target"
# rust-toolchain.toml pins an exact version; where the machine's stable toolchain is that
# version but not yet known by that name, name it so (no download: only the registries are
# reachable here).
pinned=$(sed -nE 's/^channel = "([^"]+)"/\1/p' rust-toolchain.toml)
if ! rustup toolchain list | grep -q "^$pinned-"; then
  stable=$(rustup run stable rustc --print sysroot)
  if [ "$(rustup run stable rustc --version | awk '{print $2}')" = "$pinned" ]; then
    ln -s "$stable" "$(dirname "$stable")/$pinned-$(basename "$stable" | sed 's/^stable-//')"
  fi
fi
rustup show active-toolchain >/dev/null
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
echo "$(rustc --version), wasm32-unknown-unknown"

step "cargo-leptos $CARGO_LEPTOS_VERSION"
if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
  echo "building cargo-leptos once per machine (about 25 min on 2 cores)"
  cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
fi
cargo leptos --version

step "wasm-bindgen CLI (the version in Cargo.lock)"
wbg=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg" ]; then
  # Not --locked: with it the registry lacks one pinned dependency (TOOLCHAIN.md).
  cargo install wasm-bindgen-cli --version "$wbg"
fi
wasm-bindgen --version

step "npm packages (Tailwind, binaryen's wasm-opt, ECharts, esbuild) and Playwright"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then npm ci --no-audit --no-fund; fi
if [ ! -d end2end/node_modules ] || [ end2end/package-lock.json -nt end2end/node_modules ]; then
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
# ECharts is served from our own assets, never a CDN: a bundle of only the parts our charts
# use (scripts/echarts/bundle.js), rebuilt when the entry or the installed packages change.
bundle=public/vendor/echarts.min.js
if [ ! -f "$bundle" ] || [ scripts/echarts/bundle.js -nt "$bundle" ] || [ node_modules -nt "$bundle" ]; then
  npm run --silent build:echarts
fi
echo "node_modules ready; $bundle: $(wc -c <"$bundle") bytes, $(gzip -9c "$bundle" | wc -c) gzipped"

step "PostgreSQL at $DATABASE_URL"
pg_host=$(sed -E 's|^[a-z]+://([^@/]*@)?([^:/?]+).*|\2|' <<<"$DATABASE_URL")
pg_port=$(sed -nE 's|^[a-z]+://([^@/]*@)?[^:/?]+:([0-9]+).*|\2|p' <<<"$DATABASE_URL")
pg_port=${pg_port:-5432}
if ! pg_isready -q -h "$pg_host" -p "$pg_port"; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    apt_install postgresql
    # A cluster we just installed: trust local TCP connections, as the default URL expects.
    for hba in /etc/postgresql/*/main/pg_hba.conf; do
      grep -q '^host all all 127.0.0.1/32 trust' "$hba" || as_root sed -i \
        '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    done
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 30); do pg_isready -q -h "$pg_host" -p "$pg_port" && break; sleep 1; done
fi
pg_isready -h "$pg_host" -p "$pg_port"

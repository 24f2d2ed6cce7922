#!/usr/bin/env bash
# What a browser downloads to hydrate and draw the charts: the release hydrate .wasm and our
# ECharts bundle, raw, gzip -9 and brotli (what the server sends when the browser accepts it),
# against the budgets of issue 7. Appends a section to docs/BENCHMARKS.md (or to $1).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
report=${1:-docs/BENCHMARKS.md}
cargo leptos build --release --frontend-only >/dev/null 2>&1
npm run --silent build:echarts >/dev/null

sizes() { # file → "raw | gzip | brotli" in bytes
  local gz br
  gz=$(gzip -9c "$1" | wc -c)
  br=$(node -e 'const z=require("zlib"),f=require("fs");process.stdout.write(String(z.brotliCompressSync(f.readFileSync(process.argv[1])).length))' "$1")
  echo "$(wc -c <"$1") | $gz | $br"
}
kb() { awk -v b="$1" 'BEGIN { printf "%.0f KB", b / 1000 }'; }

# The build's content-hashed name (hash-files): the one .wasm of the package.
wasm=$(ls target/site/pkg/flowpilot-analytics*.wasm | head -n 1)
bundle=public/vendor/echarts.min.js
full=node_modules/echarts/dist/echarts.min.js
{
  echo
  echo "### What the browser downloads"
  echo
  echo "Release build (\`scripts/asset-sizes.sh\`), bytes; ECharts $(node -p 'require("echarts/package.json").version')."
  echo
  echo "| asset | raw | gzip -9 | brotli | budget (gzip) |"
  echo "|---|---|---|---|---|"
  echo "| hydrate \`.wasm\` | $(sizes "$wasm") | $(kb 250000) |"
  echo "| ECharts bundle (\`scripts/echarts/bundle.js\`) | $(sizes "$bundle") | $(kb 150000) |"
  echo "| ECharts \`dist/echarts.min.js\`, for comparison | $(sizes "$full") | — |"
} >> "$report"

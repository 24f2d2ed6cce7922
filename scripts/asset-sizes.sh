#!/usr/bin/env bash
# What a browser downloads to hydrate and draw the charts: the release hydrate .wasm (the main
# module every page loads, and with it the chunks of each lazy route, as the split manifest lists
# them) and our ECharts bundle, raw, gzip -9 and brotli (what the server sends when the browser
# accepts it), against SPEC §12's budgets. Appends a section to docs/BENCHMARKS.md (or to $1).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
report=${1:-docs/BENCHMARKS.md}
cargo leptos build --release --split --frontend-only >/dev/null 2>&1
npm run --silent build:echarts >/dev/null

sizes() { # file → "raw | gzip | brotli" in bytes
  local gz br
  gz=$(gzip -9c "$1" | wc -c)
  br=$(node -e 'const z=require("zlib"),f=require("fs");process.stdout.write(String(z.brotliCompressSync(f.readFileSync(process.argv[1])).length))' "$1")
  echo "$(wc -c <"$1") | $gz | $br"
}
kb() { awk -v b="$1" 'BEGIN { printf "%.0f KB", b / 1000 }'; }

# The build's content-hashed names (hash-files): the main .wasm and the split manifest.
wasm=$(ls target/site/pkg/flowpilot-analytics.*.wasm | head -n 1)
manifest=$(ls target/site/pkg/__wasm_split_manifest.*.json | head -n 1)
# Each .wasm of the package measured once (chunks are shared between routes), then summed.
declare -A measured
for file in target/site/pkg/*.wasm; do measured[$file]=$(sizes "$file" | tr -d ' '); done
sizes_of() { # files → "raw | gzip | brotli", summed
  local raw=0 gz=0 br=0 r g b
  for file in "$@"; do
    IFS='|' read -r r g b <<<"${measured[$file]}"
    raw=$((raw + r)) gz=$((gz + g)) br=$((br + b))
  done
  echo "$raw | $gz | $br"
}
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
  echo "| hydrate \`.wasm\`: the main module | $(sizes_of "$wasm") | $(kb 250000) |"
  # Each lazy route's chunks (app.rs), which its first load fetches after the main module.
  node -e 'for (const [r, c] of Object.entries(require(process.argv[1]))) console.log(r, ...c)' \
    "$PWD/$manifest" | sort | while read -r route chunks; do
    files=()
    for chunk in $chunks; do files+=("target/site/pkg/$chunk.wasm"); done
    name=$(sed -E 's/^__(.*)_route_view_[0-9]+$/\1/' <<<"$route")
    echo "| … with the \`$name\` route's ${#files[@]} chunks | $(sizes_of "$wasm" "${files[@]}") | — |"
  done
  echo "| ECharts bundle (\`scripts/echarts/bundle.js\`) | $(sizes "$bundle") | $(kb 150000) |"
  echo "| ECharts \`dist/echarts.min.js\`, for comparison | $(sizes "$full") | — |"
} >> "$report"

// Precompresses the site's static files once, at build time (SPEC §12): brotli at quality 11
// and gzip at level 9 beside each text or wasm file (`x.js.br`, `x.js.gz`). The server's
// static-file handler (tower-http's ServeDir with precompressed_br/gzip, via leptos_axum) sends
// them to browsers that accept them, so no request pays for compressing, and at levels too
// slow to run per request. A compressed copy that is not smaller is not written; stale copies
// are removed.
// Usage: node scripts/precompress.mjs [site root, default target/site]
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = process.argv[2] ?? 'target/site';
const compressible = /\.(js|mjs|wasm|css|svg|json|html|txt|map)$/;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

let written = 0;
let before = 0;
let after = 0;
for (const path of [...files(root)]) {
  if (/\.(br|gz)$/.test(path)) {
    // A copy whose source is gone or newer is stale.
    const source = path.slice(0, -3);
    if (!existsSync(source) || statSync(source).mtimeMs > statSync(path).mtimeMs) rmSync(path);
    continue;
  }
  if (!compressible.test(path)) continue;
  const raw = readFileSync(path);
  const copies = {
    br: brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }),
    gz: gzipSync(raw, { level: 9 }),
  };
  for (const [ext, bytes] of Object.entries(copies)) {
    if (bytes.length < raw.length) {
      writeFileSync(`${path}.${ext}`, bytes);
      written += 1;
    } else {
      rmSync(`${path}.${ext}`, { force: true });
    }
  }
  before += raw.length;
  after += copies.br.length;
}
console.log(
  `precompressed ${written} copies under ${root}: ${before} bytes → ${after} as brotli 11`,
);

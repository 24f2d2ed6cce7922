import { expect } from '@playwright/test';
import { test } from './helpers';

// Static assets as the page names them (SPEC §12): the hydrate .wasm and its JavaScript and the
// stylesheet by content-hashed names, the ECharts bundle by its fingerprint — each kept a year
// (`immutable`), and each sent as the build's precompressed brotli copy (scripts/precompress.mjs:
// its length known, not a stream compressed for this request).
test('static assets have content-hashed names, a year of cache and precompressed bodies', async ({
  request,
}) => {
  const html = await (await request.get('/login')).text();
  const names = [
    ...html.matchAll(/(?:href|src|content)="(\/(?:pkg|vendor)\/[^"]+)"/g),
  ].map((m) => m[1].replaceAll('&amp;', '&'));
  const wasm = names.find((n) => /^\/pkg\/flowpilot-analytics\.[\w-]+\.wasm$/.test(n));
  const js = names.find((n) => /^\/pkg\/flowpilot-analytics\.[\w-]+\.js$/.test(n));
  const css = names.find((n) => /^\/pkg\/flowpilot-analytics\.[\w-]+\.css$/.test(n));
  const echarts = names.find((n) => /^\/vendor\/echarts\.min\.js\?v=[0-9a-f]{16}$/.test(n));
  expect([wasm, js, css, echarts], names.join(' ')).not.toContain(undefined);
  for (const path of [wasm!, js!, css!, echarts!]) {
    const response = await request.get(path, { headers: { 'accept-encoding': 'br' } });
    expect(response.status(), path).toBe(200);
    expect(response.headers()['cache-control'], path).toBe('public, max-age=31536000, immutable');
    expect(response.headers()['content-encoding'], path).toBe('br');
    expect(Number(response.headers()['content-length']), path).toBeGreaterThan(0);
  }
  // A name that is not the build's is asked about each time.
  const unhashed = await request.get('/favicon.svg');
  expect(unhashed.headers()['cache-control']).toBe('no-cache');
});

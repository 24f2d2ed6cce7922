import { expect } from '@playwright/test';
import { test } from './helpers';

// The build's precompressed copies (scripts/precompress.mjs) are what the browser gets: the
// hydrate .wasm, its JavaScript, the stylesheet and the ECharts bundle leave as brotli with
// their length known (a copy on disk, not a stream compressed for this request).
test('static assets leave precompressed', async ({ request }) => {
  for (const path of [
    '/pkg/flowpilot-analytics.wasm',
    '/pkg/flowpilot-analytics.js',
    '/pkg/flowpilot-analytics.css',
    '/vendor/echarts.min.js',
  ]) {
    const response = await request.get(path, { headers: { 'accept-encoding': 'br' } });
    expect(response.status(), path).toBe(200);
    expect(response.headers()['content-encoding'], path).toBe('br');
    expect(Number(response.headers()['content-length']), path).toBeGreaterThan(0);
  }
});

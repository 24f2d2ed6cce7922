import { expect } from '@playwright/test';
import { hydrated, NORTHWIND_ADMIN, signIn, test } from './helpers';

// The client split by route (SPEC §12): a first load downloads the code of the tab it shows,
// and another tab's code only when the user goes there — and the page works on both.
test('a first load fetches its own tab code; another tab fetches its code when opened', async ({ page }) => {
  const fetched: string[] = [];
  const headers = new Map<string, Record<string, string>>();
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (/^\/pkg\/.+\.wasm$/.test(path)) fetched.push(path);
    if (path.startsWith('/pkg/')) headers.set(path, response.headers());
  });
  await signIn(page, NORTHWIND_ADMIN);
  await expect(page).toHaveURL(/\/analytics$/);
  await hydrated(page);
  const firstLoad = [...fetched];
  expect(firstLoad.some((p) => /^\/pkg\/flowpilot-analytics\./.test(p)), firstLoad.join(' ')).toBe(true);
  expect(firstLoad.length, 'the main module and the tab chunks').toBeGreaterThan(1);

  await page.getByRole('link', { name: 'Coverage', exact: true }).click();
  await expect(page).toHaveURL(/\/analytics\/coverage$/);
  await expect(page.getByRole('table')).toBeVisible();
  const opened = fetched.slice(firstLoad.length);
  expect(opened.length, `Coverage's code came when it was opened: ${opened.join(' ')}`).toBeGreaterThan(0);
  expect(opened.filter((p) => firstLoad.includes(p)), 'nothing fetched twice').toEqual([]);

  // The tab opened in the page is live: another period loads its data through the tab's server
  // function, in the page, with no page load.
  const asked = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/analytics/coverage');
  const documents: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'document') documents.push(r.url());
  });
  await page.getByRole('link', { name: '7d', exact: true }).click();
  expect((await asked).status()).toBe(200);
  await expect(page).toHaveURL(/\/analytics\/coverage\?period=7d$/);
  await expect(page.getByRole('table')).toBeVisible();
  expect(documents).toEqual([]);

  // Every piece of the split client (the main module, the split loader, each chunk) has a
  // content-hashed name, is kept a year and came precompressed.
  const loader = [...headers.keys()].filter((p) => /^\/pkg\/__wasm_split\.[\w-]{22}\.js$/.test(p));
  expect(loader, [...headers.keys()].join(' ')).toHaveLength(1);
  for (const path of [...fetched, ...loader]) {
    expect(path).toMatch(/^\/pkg\/[\w-]+\.[\w-]{22}\.(wasm|js)$/);
    expect(headers.get(path)?.['cache-control'], path).toBe('public, max-age=31536000, immutable');
    expect(headers.get(path)?.['content-encoding'], path).toMatch(/^(br|gzip)$/);
  }
});

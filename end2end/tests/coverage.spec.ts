import { expect } from '@playwright/test';
import { NORTHWIND_ADMIN, metric, percent, signIn, test } from './helpers';
import { dataOf, shownAnswer } from './api';

// The heatmap's thresholds, restated as the test's oracle.
const GREEN = 'bg-emerald-400/10';
const AMBER = 'bg-amber-400/10';
const RED = 'bg-rose-500/10';
const MUTED = 'text-muted-foreground';
const resolution = (r: number) => (r > 0.75 ? GREEN : r >= 0.5 ? AMBER : RED);
const escalation = (r: number) => (r < 0.1 ? GREEN : r <= 0.25 ? AMBER : RED);
const guided = (r: number) => (r > 0.6 ? GREEN : r >= 0.3 ? AMBER : RED);
const flows = (n: number) => (n >= 5 ? GREEN : n >= 1 ? AMBER : RED);

/** Percent-encoding of everything but RFC 3986 unreserved characters, as the page does. */
const encodeStrict = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

test('the heatmap shows every domain with its values and colours', async ({ page }) => {
  await signIn(page, NORTHWIND_ADMIN);
  await page.getByRole('link', { name: 'Coverage', exact: true }).click();
  await expect(page).toHaveURL(/\/analytics\/coverage$/);
  const api = await shownAnswer(page, 'coverage', { period: '30d' });
  expect(api.domains.length).toBeGreaterThan(5);

  await expect(metric(page, 'Domains')).toHaveText(String(api.total_domains));
  await expect(metric(page, 'Unmapped sessions')).toHaveText(String(api.unmapped_session_count));
  const table = page.getByRole('table', { name: 'Coverage by problem domain' });
  await expect(table.locator('tbody tr')).toHaveCount(api.domains.length);

  const seen = new Set<string>();
  for (const d of api.domains) {
    const cells = table.getByRole('row', { name: d.domain, exact: false }).first().getByRole('cell');
    // A rate over fewer than 10 sessions is a small sample: muted with its n, never coloured.
    const small = d.session_count < 10;
    const rate = (r: number, level: (r: number) => string): [string, string] =>
      small ? [`${percent(r)}n = ${d.session_count}`, MUTED] : [percent(r), level(r)];
    const expected: [number, string, string | null][] = [
      [0, String(d.flow_count), flows(d.flow_count)],
      [1, String(d.session_count), null],
      [2, ...rate(d.resolution_rate, resolution)],
      [3, ...rate(d.escalation_rate, escalation)],
      [4, ...rate(d.guided_rate, guided)],
    ];
    for (const [index, text, colour] of expected) {
      const cell = cells.nth(index);
      await expect(cell).toContainText(text);
      if (colour) {
        await expect(cell).toHaveClass(new RegExp(colour.replace('/', '\\/')));
        if (colour !== MUTED) seen.add(colour);
      }
    }
  }
  expect([...seen].sort()).toEqual([AMBER, GREEN, RED].sort());
});

test('a domain without flows links to creating one', async ({ page }) => {
  await signIn(page, NORTHWIND_ADMIN, '/analytics/coverage?period=90d');
  const api = await dataOf(page, 'coverage', { period: '90d' });
  const uncovered = api.domains.filter((d) => d.flow_count === 0);
  expect(uncovered.length).toBeGreaterThan(0);
  for (const d of uncovered) {
    const row = page.getByRole('row', { name: d.domain, exact: false }).first();
    await expect(row.getByRole('link', { name: 'Create flow' })).toHaveAttribute(
      'href',
      `/trees/new?category=${encodeStrict(d.domain)}`,
    );
  }
  const covered = api.domains.find((d) => d.flow_count > 0)!;
  const coveredRow = page.getByRole('row', { name: covered.domain, exact: false }).first();
  await expect(coveredRow.getByRole('link', { name: 'Create flow' })).toHaveCount(0);
  // Its numbers lead to its sessions instead.
  await expect(coveredRow.locator('[data-drill]')).toHaveCount(4);
});

test('changing the period changes the numbers', async ({ page }) => {
  await signIn(page, NORTHWIND_ADMIN, '/analytics/coverage?period=90d');
  const quarter = await dataOf(page, 'coverage', { period: '90d' });
  const week = await dataOf(page, 'coverage', { period: '7d' });
  const top = quarter.domains[0];
  const weekTop = week.domains.find((d) => d.domain === top.domain)!;
  expect(weekTop.session_count).toBeLessThan(top.session_count);

  const sessions = () =>
    page.getByRole('row', { name: top.domain, exact: false }).first().getByRole('cell').nth(1);
  await expect(sessions()).toHaveText(String(top.session_count));
  await page.getByRole('link', { name: '7d', exact: true }).click();
  await expect(page).toHaveURL(/\/analytics\/coverage\?period=7d$/);
  await expect(sessions()).toHaveText(String(weekTop.session_count));
});

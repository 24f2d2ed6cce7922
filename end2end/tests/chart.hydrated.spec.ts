import { expect } from '@playwright/test';
import { NORTHWIND_ADMIN, hydrated, signIn, test } from './helpers';
import { dataOf, settledRange } from './api';

// A click on a day of the Overview's chart opens that day's sessions (SPEC §8). Only a
// hydrated page draws the chart; without JavaScript the daily table's links do it (drill.spec).

test('a click over a day of the trend chart lists that day’s sessions', async ({ page }) => {
  await signIn(page, NORTHWIND_ADMIN);
  const range = await settledRange(page, 30);
  await page.goto(`/analytics?from=${range.from}&to=${range.to}`);
  await hydrated(page);
  const overview = await dataOf(page, 'overview', range);
  const chart = page.locator('#overview-trend-chart');
  await expect(chart.locator('canvas')).toHaveCount(1);
  const box = (await chart.boundingBox())!;

  // The plot spans the chart's grid (40 px from the left, 16 from the right; 40 from the top,
  // 28 from the bottom); each day is a band of it. Click in the middle of a band, off any point.
  const days = overview.daily_trend;
  const index = 7;
  const band = (box.width - 40 - 16) / days.length;
  const x = 40 + band * (index + 0.5);
  const y = 40 + (box.height - 40 - 28) * 0.3;
  await chart.click({ position: { x, y } });

  await expect(page).toHaveURL(/\/analytics\/sessions\?/);
  await expect(page).toHaveURL(new RegExp(`day=${days[index].date}`));
  await expect(page).toHaveURL(new RegExp(`from=${range.from}`));
  await expect(page.locator('[data-total]')).toHaveText(String(days[index].sessions));

  // Outside the plot (the legend's row) a click goes nowhere.
  await page.goBack();
  await expect(chart.locator('canvas')).toHaveCount(1);
  await chart.click({ position: { x: 4, y: 4 } });
  await expect(page).toHaveURL(/\/analytics\?/);
});

// ECharts is loaded by the first chart a page draws (SPEC §12): a tab without a chart never
// downloads it, and moving to a tab with one in the browser loads it once and draws.
test('ECharts is downloaded only when a tab has a chart to draw', async ({ page }) => {
  const bundles: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/vendor/echarts.min.js') bundles.push(request.url());
  });
  // Straight to Coverage: signing in lands on the page asked for, so no chart came before.
  await signIn(page, NORTHWIND_ADMIN, '/analytics/coverage');
  await expect(page).toHaveURL(/\/analytics\/coverage$/);
  await hydrated(page);
  await expect(page.locator('table').first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(bundles, 'Coverage has no chart').toEqual([]);

  await page.getByRole('link', { name: 'Overview', exact: true }).click();
  await expect(page.locator('#overview-trend-chart canvas')).toHaveCount(1);
  await page.getByRole('link', { name: 'PSA', exact: true }).click();
  await expect(page.locator('#psa-trend-chart canvas')).toHaveCount(1);
  expect(bundles, 'one download for both charts').toHaveLength(1);
  expect(bundles[0]).toMatch(/\/vendor\/echarts\.min\.js\?v=[0-9a-f]{16}$/);
});

// On a phone the first screen is the cards: the chart below them is drawn, and ECharts
// downloaded, only when it is scrolled near (SPEC §12: a first load that never reaches it
// never pays for it).
test('a chart below the fold loads ECharts and draws when scrolled to', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 700 });
  const bundles: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/vendor/echarts.min.js') bundles.push(request.url());
  });
  await signIn(page, NORTHWIND_ADMIN, '/analytics');
  await expect(page).toHaveURL(/\/analytics$/);
  await hydrated(page);
  const chart = page.locator('#overview-trend-chart');
  const box = (await chart.boundingBox())!;
  expect(box.y, 'the chart starts below the first screen').toBeGreaterThan(700 + 200);
  await page.waitForLoadState('networkidle');
  expect(bundles, 'nothing drawn yet').toEqual([]);
  await expect(chart.locator('canvas')).toHaveCount(0);

  await chart.scrollIntoViewIfNeeded();
  await expect(chart.locator('canvas')).toHaveCount(1);
  expect(bundles).toHaveLength(1);
});

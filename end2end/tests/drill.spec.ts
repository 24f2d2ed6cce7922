import { expect, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import { NORTHWIND_ADMIN, signIn, test } from './helpers';
import { dataOf, settledRange } from './api';

// Every number leads to its sessions (SPEC §8), on thirty past days so the numbers hold still.

const total = (page: Page) => page.locator('[data-total]');
const rows = (page: Page) => page.getByRole('table', { name: 'Sessions' }).locator('tbody tr');

test('a heatmap cell leads to its sessions, which page and open', async ({ page }) => {
  await signIn(page, NORTHWIND_ADMIN);
  const range = await settledRange(page, 30);
  await page.goto(`/analytics/coverage?from=${range.from}&to=${range.to}`);
  const coverage = await dataOf(page, 'coverage', range);
  const busiest = [...coverage.domains].sort((a, b) => b.session_count - a.session_count)[0];
  const escalated = Math.round(busiest.escalation_rate * busiest.session_count);

  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: busiest.domain, exact: true }) });
  await row.getByRole('link', { name: `${(busiest.escalation_rate * 100).toFixed(1)}%`, exact: true }).click();
  await expect(page).toHaveURL(/\/analytics\/sessions\?/);
  await expect(page).toHaveURL(new RegExp(`domain=${encodeURIComponent(busiest.domain)}`));
  await expect(page).toHaveURL(/status=escalated/);
  await expect(total(page)).toHaveText(String(escalated));
  await expect(rows(page)).toHaveCount(Math.min(50, escalated));
  for (const cell of await rows(page).locator('td:nth-of-type(3)').allTextContents()) {
    expect(cell).toBe(busiest.domain);
  }
  for (const cell of await rows(page).locator('td:nth-of-type(5)').allTextContents()) {
    expect(cell).toBe('escalated');
  }
  // Chips say what the list is drilled by; the window stays.
  await expect(page.getByRole('link', { name: `Remove the status filter (escalated)` })).toBeVisible();

  // Page to the older sessions and back.
  const first = await rows(page).first().getAttribute('data-session-id');
  if (escalated > 50) {
    await page.getByRole('link', { name: 'Older' }).click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(rows(page).first()).not.toHaveAttribute('data-session-id', first!);
    await page.getByRole('link', { name: 'Newer' }).click();
    await expect(page).toHaveURL(/before=/);
    await expect(rows(page).first()).toHaveAttribute('data-session-id', first!);
  }

  // Removing the status chip lists the domain's sessions.
  await page.getByRole('link', { name: 'Remove the status filter (escalated)' }).click();
  await expect(total(page)).toHaveText(String(busiest.session_count));
  await expect(page).toHaveURL(new RegExp(`from=${range.from}`));

  // A session opens with its PSA activity.
  await rows(page).first().getByRole('rowheader').getByRole('link').click();
  await expect(page).toHaveURL(/\/analytics\/sessions\/[0-9a-f-]{36}/);
  await expect(page.getByRole('heading', { name: 'Session', exact: true })).toBeVisible();
  await expect(page.getByRole('table', { name: 'PSA activity' })).toBeVisible();
});

test('a funnel step and a day of the trend lead to their sessions', async ({ page }) => {
  await signIn(page, NORTHWIND_ADMIN);
  const range = await settledRange(page, 30);
  await page.goto(`/analytics/psa?from=${range.from}&to=${range.to}`);
  const psa = await dataOf(page, 'psa-metrics', range);
  const funnel = page.getByRole('list', { name: 'Push funnel' });
  await funnel.locator('li').nth(1).locator('[data-drill]').click();
  await expect(page).toHaveURL(/step=linked/);
  await expect(total(page)).toHaveText(String(psa.push_funnel.linked_to_ticket));

  await page.goto(`/analytics?from=${range.from}&to=${range.to}`);
  const overview = await dataOf(page, 'overview', range);
  const day = overview.daily_trend[10];
  await page.getByText('Daily numbers').click();
  const line = page.getByRole('table', { name: 'Sessions by day' }).getByRole('row').filter({ hasText: day.date });
  await line.getByRole('link', { name: String(day.sessions), exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`day=${day.date}`));
  await expect(total(page)).toHaveText(String(day.sessions));
});

test('another account’s session is not found', async ({ page }) => {
  await signIn(page, NORTHWIND_ADMIN);
  const response = await page.goto('/analytics/sessions/00000000-0000-0000-0000-000000000000');
  expect(response!.status()).toBe(404);
  await expect(page.getByRole('alert')).toContainText('Not found');
});

test('a drilled list and a tab leave as CSV files that say what they hold', async ({ page }) => {
  await signIn(page, NORTHWIND_ADMIN);
  const range = await settledRange(page, 30);
  await page.goto(`/analytics/sessions?from=${range.from}&to=${range.to}&status=escalated`);
  const shown = Number(await total(page).textContent());
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV of these sessions' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`northwind-msp_sessions_${range.from}_${range.to}.csv`);
  const text = fs.readFileSync((await download.path())!, 'utf8');
  const lines = text.trimEnd().split('\r\n');
  expect(lines[0].split(',').slice(0, 3)).toEqual(['started_at', 'session_id', 'technician']);
  expect(lines.length).toBe(shown + 1);
  expect(lines.slice(1).every((line) => line.includes(',escalated,'))).toBe(true);

  await page.goto(`/analytics/coverage?from=${range.from}&to=${range.to}`);
  const coverage = await dataOf(page, 'coverage', range);
  const [table] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV of the coverage table' }).click(),
  ]);
  expect(table.suggestedFilename()).toBe(`northwind-msp_coverage_${range.from}_${range.to}.csv`);
  const rows = fs.readFileSync((await table.path())!, 'utf8').trimEnd().split('\r\n');
  expect(rows.length).toBe(coverage.domains.length + 1);
});

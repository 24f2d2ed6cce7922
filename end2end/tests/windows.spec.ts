import { expect } from '@playwright/test';
import { test, NORTHWIND_ADMIN, metric, signIn } from './helpers';
import { dataOf, settledRange, shift } from './api';

/** "+12 (+8.5%)" / "−3 (−2.0%)" / "no change", as the page writes a count's change. */
function countChange(now: number, before: number): string {
  const delta = now - before;
  if (delta === 0) return 'no change';
  const sign = delta > 0 ? '+' : '−';
  const count = `${sign}${Math.abs(delta)}`;
  if (before === 0) return count;
  return `${count} (${sign}${Math.abs((delta / before) * 100).toFixed(1)}%)`;
}

test('a custom date range shows its numbers, the change against the days before, and stays in the URL', async ({
  page,
}) => {
  await signIn(page, NORTHWIND_ADMIN);
  await expect(metric(page, 'Sessions')).toBeVisible();
  // A 14-day range ending yesterday (the account's).
  const { from, to } = await settledRange(page, 14);
  const api = await dataOf(page, 'overview', { from, to, compare: 'previous' });
  expect(api.window).toMatchObject({ from, to });
  expect(api.previous!.window).toMatchObject({ from: shift(from, -14), to: shift(from, -1) });

  const range = page.getByRole('form', { name: 'Date range' });
  await range.getByLabel('From').fill(from);
  await range.getByLabel('To').fill(to);
  await range.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(new RegExp(`from=${from}&to=${to}`));
  await expect(metric(page, 'Sessions')).toHaveText(String(api.total_sessions));
  const sessions = page.getByRole('group', { name: 'Sessions', exact: true });
  await expect(sessions).toContainText(
    countChange(api.total_sessions, api.previous!.total_sessions),
  );
  await expect(page.getByText(`compared with ${shift(from, -14)} to ${shift(from, -1)}`)).toBeVisible();
  await expect(page.getByText(`days in ${api.window.timezone}`)).toBeVisible();
  // No period is selected while a range is.
  await expect(page.getByRole('link', { name: '30d', exact: true })).not.toHaveAttribute(
    'aria-current',
    'true',
  );

  // Another tab keeps the range; the URL alone reproduces the view.
  await page.getByRole('link', { name: 'Coverage' }).click();
  await expect(page).toHaveURL(new RegExp(`/analytics/coverage\\?from=${from}&to=${to}`));
  await page.goto(`/analytics?from=${from}&to=${to}`);
  await expect(metric(page, 'Sessions')).toHaveText(String(api.total_sessions));

  // A period link drops the range.
  await page.getByRole('link', { name: '7d', exact: true }).click();
  await expect(page).toHaveURL(/\/analytics\?period=7d$/);
});

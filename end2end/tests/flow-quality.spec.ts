import { expect, type Page } from '@playwright/test';
import { NORTHWIND_ADMIN, signIn, test } from './helpers';
import { dataOf, settledRange, shownAnswer, type Flow } from './api';

const table = (page: Page) => page.getByRole('table', { name: 'Flow quality' });
const bodyRows = (page: Page) => table(page).locator('tbody tr');
const shownNames = (page: Page) => bodyRows(page).getByRole('rowheader').getByRole('link').allTextContents();

test('flows are ordered by quality and sort by each header, kept in the URL', async ({ page }) => {
  await signIn(page, NORTHWIND_ADMIN);
  await page.getByRole('link', { name: 'Flow Quality', exact: true }).click();
  await expect(page).toHaveURL(/\/analytics\/flow-quality$/);
  // Thirty past days, so the page and the API answer for the same sessions however long the
  // clicks take (the default period moves with the clock; its ties could reorder mid-test).
  const range = await settledRange(page, 30);
  await page.goto(`/analytics/flow-quality?from=${range.from}&to=${range.to}`);
  const byQuality = await dataOf(page, 'flow-quality', { ...range, sort: 'quality' });
  await expect(bodyRows(page)).toHaveCount(byQuality.flows.length);
  expect(await shownNames(page)).toEqual(byQuality.flows.map((f) => f.name));

  const usageHeader = () => table(page).getByRole('columnheader', { name: /Usage/ });
  await usageHeader().getByRole('link').click();
  await expect(page).toHaveURL(/sort=usage&dir=desc/);
  await expect(usageHeader()).toHaveAttribute('aria-sort', 'descending');
  const byUsage = await dataOf(page, 'flow-quality', { ...range, sort: 'usage' });
  await expect.poll(() => shownNames(page)).toEqual(byUsage.flows.map((f) => f.name));

  // Again: reversed.
  await usageHeader().getByRole('link').click();
  await expect(page).toHaveURL(/sort=usage&dir=asc/);
  await expect(usageHeader()).toHaveAttribute('aria-sort', 'ascending');
  const usages = (await bodyRows(page).locator('td:nth-of-type(1)').allTextContents()).map(Number);
  expect(usages).toEqual([...usages].sort((a, b) => a - b));

  await table(page).getByRole('columnheader', { name: /Success rate/ }).getByRole('link').click();
  await expect(page).toHaveURL(/sort=success_rate&dir=desc/);
  const bySuccess = await dataOf(page, 'flow-quality', { ...range, sort: 'success_rate' });
  await expect.poll(() => shownNames(page)).toEqual(bySuccess.flows.map((f) => f.name));

  await table(page).getByRole('columnheader', { name: /Flow name/ }).getByRole('link').click();
  await expect(page).toHaveURL(/sort=name&dir=asc/);
  const names = await shownNames(page);
  expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
});

test('the best and worst flows are marked and flagged flows carry a badge', async ({ page }) => {
  await signIn(page, NORTHWIND_ADMIN, '/analytics/flow-quality');
  const api = await shownAnswer(page, 'flow-quality', { period: '30d', sort: 'quality' });
  const n = api.flows.length;
  expect(n).toBeGreaterThan(10);
  const rowOf = (flow: Flow) => table(page).locator(`tr[data-flow-id="${flow.flow_id}"]`);

  for (const flow of api.flows.slice(0, 5)) {
    await expect(rowOf(flow)).toHaveClass(/border-emerald-400/);
  }
  for (const flow of api.flows.slice(n - 5)) {
    await expect(rowOf(flow)).toHaveClass(/border-rose-500/);
  }
  await expect(rowOf(api.flows[5])).not.toHaveClass(/border-emerald-400|border-rose-500/);

  expect(api.needs_attention.length).toBeGreaterThan(0);
  for (const flow of api.needs_attention) {
    await expect(rowOf(flow).getByText('Needs attention')).toBeVisible();
  }
  const fine = api.flows.find((f) => !api.needs_attention.some((a) => a.flow_id === f.flow_id))!;
  await expect(rowOf(fine).getByText('Needs attention')).toHaveCount(0);

  const attention = page.getByRole('list', { name: 'Needs attention' }).getByRole('listitem');
  await expect(attention).toHaveCount(api.needs_attention.length);
  const top = page.getByRole('list', { name: 'Top performers' }).getByRole('listitem');
  await expect(top).toHaveCount(api.top_performers.length);
  await expect(top.first()).toContainText(api.top_performers[0].name);
});

test('a flow name links to its editor', async ({ page }) => {
  await signIn(page, NORTHWIND_ADMIN, '/analytics/flow-quality');
  const api = await shownAnswer(page, 'flow-quality', { period: '30d', sort: 'quality' });
  const first = api.flows[0];
  await expect(table(page).getByRole('link', { name: first.name, exact: true })).toHaveAttribute(
    'href',
    `/trees/${first.flow_id}/edit`,
  );
});

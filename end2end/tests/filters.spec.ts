import { expect, type Page } from '@playwright/test';
import { test, NORTHWIND_ADMIN, metric, signIn } from './helpers';
import { dataOf, settledRange } from './api';

type Choice = { id: string; name: string; sessions: number };

/** The pickers' choices for the signed-in admin (must be 200). */
async function choicesOf(page: Page, params: Record<string, string>) {
  const query = new URLSearchParams(params).toString();
  const response = await page.request.get(`/api/v1/analytics/flowpilot/filters?${query}`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as { technicians: Choice[]; clients: Choice[] };
}

test('filtering by a client and a technician narrows the numbers, shows removable chips and stays in the URL', async ({
  page,
}) => {
  await signIn(page, NORTHWIND_ADMIN);
  // Past whole days hold still: a rolling period could lose a session between the page and
  // the API's answer it is compared with.
  const range = await settledRange(page, 30);
  await page.goto(`/analytics?from=${range.from}&to=${range.to}`);
  await expect(metric(page, 'Sessions')).toBeVisible();
  const choices = await choicesOf(page, range);
  const [client, tech] = [choices.clients[0], choices.technicians[0]];
  expect(client.sessions).toBeGreaterThan(0);

  // One client.
  const byClient = await dataOf(page, 'overview', { ...range, client: client.id });
  let filters = page.getByRole('form', { name: 'Filters' });
  await filters.getByLabel('Client').selectOption(client.id);
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(new RegExp(`client=${client.id}`));
  await expect(metric(page, 'Sessions')).toHaveText(String(byClient.total_sessions));

  // And one technician.
  const both = await dataOf(page, 'overview', { ...range, client: client.id, technician: tech.id });
  filters = page.getByRole('form', { name: 'Filters' });
  await filters.getByLabel('Technician').selectOption(tech.id);
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(new RegExp(`technician=${tech.id}`));
  await expect(metric(page, 'Sessions')).toHaveText(String(both.total_sessions));
  const removeClient = page.getByRole('link', { name: `Remove the client filter (${client.name})` });
  await expect(removeClient).toBeVisible();
  await expect(page.getByRole('link', { name: `Remove the technician filter (${tech.name})` })).toBeVisible();

  // Another tab keeps both; the URL alone reproduces the view.
  await page.getByRole('link', { name: 'PSA' }).click();
  await expect(page).toHaveURL(new RegExp(`/analytics/psa\\?.*technician=${tech.id}`));
  await expect(page).toHaveURL(new RegExp(`client=${client.id}`));
  await expect(page).toHaveURL(new RegExp(`from=${range.from}`));
  await page.goto(`/analytics?from=${range.from}&to=${range.to}&client=${client.id}&technician=${tech.id}`);
  await expect(metric(page, 'Sessions')).toHaveText(String(both.total_sessions));

  // Removing the client chip leaves the technician.
  const byTech = await dataOf(page, 'overview', { ...range, technician: tech.id });
  await page.getByRole('link', { name: `Remove the client filter (${client.name})` }).click();
  await expect(page).not.toHaveURL(/client=/);
  await expect(page).toHaveURL(new RegExp(`technician=${tech.id}`));
  await expect(metric(page, 'Sessions')).toHaveText(String(byTech.total_sessions));
});

test('a client of another account is not found', async ({ page }) => {
  await signIn(page, NORTHWIND_ADMIN);
  await expect(metric(page, 'Sessions')).toBeVisible();
  const response = await page.goto('/analytics?client=00000000-0000-0000-0000-000000000000');
  expect(response!.status()).toBe(404);
  await expect(page.getByText('No such client in this account.')).toBeVisible();
});

test('a breakdown row applies its filter; its chip removes it', async ({ page }) => {
  await signIn(page, NORTHWIND_ADMIN);
  const range = await settledRange(page, 30);
  await page.goto(`/analytics?from=${range.from}&to=${range.to}`);
  await expect(metric(page, 'Sessions')).toBeVisible();
  const overview = await dataOf(page, 'overview', range);
  const top = overview.by_client[0];
  const byClient = page.getByRole('table', { name: 'By client' });
  await expect(byClient.locator('tbody tr')).toHaveCount(
    overview.by_client.length,
  );
  await byClient.getByRole('link', { name: top.name, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`client=${top.id}`));
  await expect(metric(page, 'Sessions')).toHaveText(String(top.sessions));
  // The technicians' rows now count that client's sessions only.
  const filtered = await dataOf(page, 'overview', { ...range, client: top.id });
  const tech = filtered.by_technician[0];
  const techRow = page.getByRole('table', { name: 'By technician' }).getByRole('row', { name: tech.name });
  await expect(techRow.getByRole('cell').first()).toHaveText(String(tech.sessions));
  await page.getByRole('link', { name: `Remove the client filter (${top.name})` }).click();
  await expect(page).not.toHaveURL(/client=/);
  await expect(metric(page, 'Sessions')).toHaveText(String(overview.total_sessions));
});

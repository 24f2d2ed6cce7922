import { expect, type Page } from '@playwright/test';
import {
  test,
  CONTOSO_ADMIN,
  NORTHWIND_ADMIN,
  NORTHWIND_TECH,
  metric,
  percent,
  signIn,
} from './helpers';
import { dataOf, settledRange, shownAnswer } from './api';

test('a signed-out visitor signs in and lands on the Overview with its numbers', async ({
  page,
}) => {
  await signIn(page, NORTHWIND_ADMIN);
  await expect(page).toHaveURL(/\/analytics$/);
  await expect(page.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');

  const api = await shownAnswer(page, 'overview', { period: '30d' });
  expect(api.total_sessions).toBeGreaterThan(0);
  await expect(metric(page, 'Sessions')).toHaveText(String(api.total_sessions));
  await expect(metric(page, 'Resolution rate')).toHaveText(percent(api.resolution_rate));
  await expect(metric(page, 'Escalation rate')).toHaveText(percent(api.escalation_rate));
  await expect(metric(page, 'Guided rate')).toHaveText(percent(api.guided_rate));
  await expect(metric(page, 'Matched-flow rate')).toHaveText(percent(api.matched_flow_rate));

  const domains = page.getByRole('list', { name: 'Top domains' }).getByRole('listitem');
  await expect(domains).toHaveCount(5);
  await expect(domains.first()).toContainText(api.top_domains[0].domain);
});

/**
 * Does `action`, then expects the Sessions card to show the API's count for `period` as it was
 * just before or just after the page showed it. A period ends now, so its oldest session leaves
 * it now and then (the demo's 6,000 sessions over 90 days: one every 20 minutes or so): the
 * count the page shows lies between the two, and is exactly both when none left meanwhile.
 */
async function expectSessionsOf(page: Page, period: string, action: () => Promise<unknown>) {
  const before = (await dataOf(page, 'overview', { period })).total_sessions;
  await action();
  await expect(page).toHaveURL(new RegExp(`period=${period}`));
  await expect(async () => {
    const shown = Number(await metric(page, 'Sessions').textContent());
    const after = (await dataOf(page, 'overview', { period })).total_sessions;
    expect(shown).toBeGreaterThanOrEqual(after);
    expect(shown).toBeLessThanOrEqual(before);
  }).toPass();
  return before;
}

test('the period selector changes the numbers and stays in the URL', async ({ page }) => {
  await signIn(page, NORTHWIND_ADMIN);
  const week = await expectSessionsOf(page, '7d', () =>
    page.getByRole('link', { name: '7d', exact: true }).click(),
  );
  const quarter = await expectSessionsOf(page, '90d', () =>
    page.getByRole('link', { name: '90d', exact: true }).click(),
  );
  expect(quarter).toBeGreaterThan(week);
  await expect(page.getByRole('link', { name: '90d', exact: true })).toHaveAttribute(
    'aria-current',
    'true',
  );

  // A link reproduces the view.
  await expectSessionsOf(page, '90d', () => page.reload());
});

test('tab links keep the period and open each tab', async ({ page }) => {
  await signIn(page, NORTHWIND_ADMIN, '/analytics?period=7d');
  await expect(page).toHaveURL(/\/analytics\?period=7d$/);
  for (const [name, path, region] of [
    ['Coverage', '/analytics/coverage', 'Coverage'],
    ['Flow Quality', '/analytics/flow-quality', 'Flow quality'],
    ['PSA', '/analytics/psa', 'PSA'],
    ['Overview', '/analytics', 'Overview'],
  ]) {
    await page.getByRole('link', { name, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${path}\\?period=7d$`));
    await expect(page.getByRole('link', { name, exact: true })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await expect(page.getByRole('region', { name: region, exact: true })).toBeVisible();
  }
});

test('the daily trend is drawn after hydration and listed for everyone', async ({
  page,
  javaScriptEnabled,
}) => {
  await signIn(page, NORTHWIND_ADMIN, '/analytics?period=7d');
  const api = await dataOf(page, 'overview', { period: '7d' });
  const chart = page.getByRole('img', { name: 'Daily sessions, resolved and escalated' });
  if (javaScriptEnabled) {
    await expect(chart.locator('canvas').first()).toBeVisible();
  } else {
    await expect(chart).toBeAttached();
    await expect(chart.locator('canvas')).toHaveCount(0);
  }
  await page.getByText('Daily numbers').click();
  const rows = page.getByRole('table', { name: 'Sessions by day' }).locator('tbody tr');
  await expect(rows).toHaveCount(api.daily_trend.length);
  const last = api.daily_trend[api.daily_trend.length - 1];
  await expect(rows.last()).toContainText(last.date);
});

test('each account sees only its own numbers', async ({ browser }) => {
  const northwind = await browser.newPage();
  const contoso = await browser.newPage();
  await signIn(northwind, NORTHWIND_ADMIN);
  await signIn(contoso, CONTOSO_ADMIN);
  // Sixty past days: the seed's oldest sessions sit at the 90-day period's edge and leave it
  // as the clock runs, so a period's count can drop between two reads.
  const range = await settledRange(northwind, 60);
  const north = await dataOf(northwind, 'overview', range);
  const cont = await dataOf(contoso, 'overview', range);
  expect(north.total_sessions).not.toBe(cont.total_sessions);

  const view = `/analytics?from=${range.from}&to=${range.to}`;
  await contoso.goto(view);
  await expect(metric(contoso, 'Sessions')).toHaveText(String(cont.total_sessions));
  await northwind.goto(view);
  await expect(metric(northwind, 'Sessions')).toHaveText(String(north.total_sessions));
  await northwind.close();
  await contoso.close();
});

test('a wrong password is refused with a message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(NORTHWIND_ADMIN);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Invalid email or password.');
  await expect(page).toHaveURL(/\/login\?error=invalid/);
});

test('a technician gets a 403 page', async ({ page }) => {
  await page.goto('/analytics');
  await page.getByLabel('Email').fill(NORTHWIND_TECH);
  await page.getByLabel('Password').fill('flowpilot-demo');
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/analytics'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  expect(response.status()).toBe(403);
  const refusal = page.getByRole('alert');
  await expect(refusal.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  await expect(refusal).toContainText('Only team admins can view analytics.');
  // No tabs to a page they cannot open, but a way out.
  await expect(page.getByRole('navigation', { name: 'Analytics tabs' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});

test('signing out ends the session', async ({ page }) => {
  await signIn(page, NORTHWIND_ADMIN);
  await expect(metric(page, 'Sessions')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/analytics');
  await expect(page).toHaveURL(/\/login\?next=/);
});

test('pages and, when hydrating, the .wasm and the ECharts bundle arrive compressed', async ({
  page,
}, testInfo) => {
  const encodings = new Map<string, string | undefined>();
  page.on('response', (response) => {
    encodings.set(new URL(response.url()).pathname, response.headers()['content-encoding']);
  });
  await signIn(page, NORTHWIND_ADMIN);
  await expect(page).toHaveURL(/\/analytics$/);
  const expected: RegExp[] = [/^\/analytics$/];
  if (testInfo.project.name === 'hydrated') {
    await expect(page.locator('#overview-trend-chart canvas').first()).toBeVisible();
    // The build's content-hashed .wasm, the bundle by its fingerprint (same path).
    expected.push(/^\/pkg\/flowpilot-analytics\.[\w-]+\.wasm$/, /^\/vendor\/echarts\.min\.js$/);
  }
  for (const path of expected) {
    const seen = [...encodings.keys()].find((p) => path.test(p));
    expect(seen, String(path)).toBeDefined();
    expect(encodings.get(seen!), seen).toMatch(/^(br|gzip)$/);
  }
});

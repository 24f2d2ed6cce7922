import { expect, type Page, type Request } from '@playwright/test';
import { LIMITED_URL, LIMITS_ADMIN, NORTHWIND_ADMIN, PASSWORD, hydrated, signIn, test } from './helpers';

/** Clicks a period link and waits until the page shows that period, loaded. */
async function choose(page: Page, period: string) {
  const link = page.getByRole('navigation', { name: 'Period' }).getByRole('link', { name: period, exact: true });
  await link.click();
  await expect(link).toHaveAttribute('aria-current', 'true');
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}

/** The server-function calls the page makes (the tab's data, the filter pickers' choices), by path and period. */
function dataCalls(page: Page) {
  const calls: string[] = [];
  page.on('request', (request: Request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/analytics/')) {
      calls.push(`${url.pathname}?period=${url.searchParams.get('period')}`);
    }
  });
  return calls;
}

for (const [tab, path, shown] of [
  ['Coverage', '/analytics/coverage', 'table'],
  ['PSA', '/analytics/psa', 'Push funnel'],
] as const) {
  test(`flipping periods on ${tab} never shows an error and asks once per period`, async ({
    page,
    javaScriptEnabled,
  }) => {
    // 18 page loads without JavaScript.
    test.setTimeout(60_000);
    await signIn(page, NORTHWIND_ADMIN, `${path}?period=30d`);
    if (javaScriptEnabled) await hydrated(page);
    const calls = dataCalls(page);
    for (let flip = 0; flip < 18; flip++) {
      await choose(page, ['7d', '30d', '90d'][flip % 3]);
      await expect(page.getByRole('alert')).toHaveCount(0);
      const content = shown === 'table' ? page.getByRole('table') : page.getByRole('list', { name: shown });
      await expect(content).toBeVisible();
    }
    if (javaScriptEnabled) {
      // 30d came with the page; 7d and 90d were asked for once each — the tab's data and the
      // pickers' choices — then shown from memory.
      const source = path === '/analytics/psa' ? 'psa-metrics' : 'coverage';
      expect(calls.sort()).toEqual(
        [source, 'filters'].flatMap((name) => ['7d', '90d'].map((p) => `/api/analytics/${name}?period=${p}`)).sort(),
      );
    } else {
      // Without JavaScript every flip is a page load, and no server function is called.
      expect(calls).toEqual([]);
    }
  });
}

test('a rate limit reads as one, keeps the numbers and passes by itself', async ({ page, javaScriptEnabled }) => {
  test.setTimeout(120_000);
  // The limited server allows each data source twice a minute per user; each project signs in
  // as its own admin, one no other spec uses, so no one else spends the budget.
  const admin = javaScriptEnabled ? LIMITS_ADMIN.hydrated : LIMITS_ADMIN.noJs;
  await page.goto(`${LIMITED_URL}/analytics/coverage?period=30d`);
  await page.getByLabel('Email').fill(admin);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('table')).toBeVisible(); // the page view: 1 of 2
  if (javaScriptEnabled) await hydrated(page);
  await choose(page, '7d'); // 2 of 2
  const weekRows = await page.getByRole('table').locator('tbody tr').count();

  const limited = page.waitForResponse((r) => r.status() === 429);
  await page.getByRole('navigation', { name: 'Period' }).getByRole('link', { name: '90d', exact: true }).click();
  const response = await limited;
  const wait = Number(response.headers()['retry-after']);
  expect(wait).toBeGreaterThan(0);
  const notice = page.getByRole('alert');
  await expect(notice).toContainText(/Too many requests — try again in \d+ s/);
  await expect(notice).not.toContainText('missing field');

  if (javaScriptEnabled) {
    // The week's numbers stay on screen under the notice…
    await expect(page.getByRole('table').locator('tbody tr')).toHaveCount(weekRows);
    // …and once the wait is over the 90 days load by themselves.
  } else {
    // Without JavaScript the 429 is the page itself, and it reloads when the wait is over.
    expect(response.url()).toContain('/analytics/coverage?period=90d');
  }
  await expect(notice).toHaveCount(0, { timeout: (wait + 15) * 1000 });
  await expect(page.getByRole('table')).toBeVisible();
  await expect(page).toHaveURL(/period=90d/);
});

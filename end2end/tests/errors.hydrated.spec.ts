import { expect } from '@playwright/test';
import { NORTHWIND_ADMIN, hydrated, signIn, test } from './helpers';

// Every kind of error a tab's server function can answer, as the server writes its body
// (`error` code, its fields, `message`, `request_id`), read back by the hydrated page.
const KINDS = [
  { status: 401, body: { error: 'unauthorized', message: 'Sign in to continue.' }, title: 'Signed out', text: 'Sign in to continue.' },
  { status: 403, body: { error: 'forbidden', message: 'Only team admins can view analytics.' }, title: 'Not allowed', text: 'Only team admins can view analytics.' },
  { status: 404, body: { error: 'not_found', message: 'No such flow.' }, title: 'Not found', text: 'No such flow.' },
  { status: 422, body: { error: 'validation', message: 'Unknown period "1y". Allowed values: 7d, 30d, 90d.' }, title: 'Invalid request', text: 'Allowed values: 7d, 30d, 90d.' },
  { status: 429, body: { error: 'rate_limited', retry_after_secs: 41, message: 'Too many requests — try again in 41 s.' }, title: 'Too many requests — try again in 41 s.', text: 'loads again by itself' },
  { status: 500, body: { error: 'internal', request_id: '0f5e2d4c-1111-2222-3333-444455556666', message: 'Something went wrong on our side.' }, title: 'Something went wrong', text: 'Request id: 0f5e2d4c-1111-2222-3333-444455556666' },
];

for (const kind of KINDS) {
  test(`a ${kind.status} from a server function reads as "${kind.title}"`, async ({ page }) => {
    await signIn(page, NORTHWIND_ADMIN, '/analytics/coverage?period=30d');
    await expect(page.getByRole('table')).toBeVisible();
    await hydrated(page);
    await page.route('**/api/analytics/coverage?*', (route) =>
      route.fulfill({
        status: kind.status,
        contentType: 'application/json',
        headers: kind.status === 429 ? { 'retry-after': '41' } : {},
        body: JSON.stringify({ request_id: '9a9a9a9a-0000-0000-0000-000000000000', ...kind.body }),
      }),
    );
    await page.getByRole('navigation', { name: 'Period' }).getByRole('link', { name: '7d', exact: true }).click();
    const alert = page.getByRole('alert');
    await expect(alert.getByRole('heading', { name: kind.title })).toBeVisible();
    await expect(alert).toContainText(kind.text);
    await expect(alert).toHaveAttribute('data-error', kind.body.error);
    await expect(alert).not.toContainText(/missing field|invalid type|deserializ/i);
  });
}

test('leaving a tab while it waits out a rate limit leaves nothing behind', async ({ page }) => {
  await signIn(page, NORTHWIND_ADMIN, '/analytics/coverage?period=30d');
  await hydrated(page);
  let limited = 0;
  await page.route('**/api/analytics/coverage?*', (route) => {
    limited += 1;
    return route.fulfill({
      status: 429,
      contentType: 'application/json',
      headers: { 'retry-after': '2' },
      body: JSON.stringify({ error: 'rate_limited', retry_after_secs: 2, message: 'Too many requests — try again in 2 s.' }),
    });
  });
  await page.getByRole('navigation', { name: 'Period' }).getByRole('link', { name: '7d', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('try again in 2 s');
  await page.getByRole('link', { name: 'PSA', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Push funnel' })).toBeVisible();
  const asked = limited;
  // Past the wait: the Coverage tab is gone, so it must not load again (nor fail: the fixture
  // fails the test on any page error).
  await page.waitForTimeout(3_500);
  expect(limited).toBe(asked);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

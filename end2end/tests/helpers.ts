import { test as base, expect, type Page } from '@playwright/test';

/**
 * `test` whose page fails the test on any uncaught error in the page (a hydration panic, say)
 * and on any Content-Security-Policy violation the browser reports.
 */
export const test = base.extend({
  page: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) errors.push(message.text());
    });
    await use(page);
    expect(errors, 'uncaught errors and CSP violations in the page').toEqual([]);
  },
});

export const PASSWORD = 'flowpilot-demo';

/** The second server of playwright.config.ts: each data source 2 times a minute per user. */
export const LIMITED_URL = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100) + 1}`;
export const NORTHWIND_ADMIN = 'admin@northwind.example';
export const CONTOSO_ADMIN = 'admin@contoso.example';
export const NORTHWIND_TECH = 'tech@northwind.example';
/**
 * Admins only the rate-limit spec signs in as (scripts/test.sh creates them): the limits live
 * in PostgreSQL, shared by both servers, so nobody else may spend their budget.
 */
export const LIMITS_ADMIN = {
  hydrated: 'limits-hydrated@northwind.example',
  noJs: 'limits-nojs@northwind.example',
};

/** Signs in through the form, starting from the page a visitor asked for. */
export async function signIn(page: Page, email: string, path = '/analytics') {
  await page.goto(path);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Waits until the page is hydrated (when JavaScript runs), so clicks navigate in the page. */
export async function hydrated(page: Page) {
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
}

/** The value shown on a KPI card. */
export function metric(page: Page, label: string) {
  return page.getByRole('group', { name: label, exact: true }).locator('[data-metric]');
}

export const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

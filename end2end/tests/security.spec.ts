import { expect } from '@playwright/test';
import { NORTHWIND_ADMIN, hydrated, signIn, test } from './helpers';

test('pages hydrate under their Content-Security-Policy and refuse an injected script', async ({
  page,
  javaScriptEnabled,
}) => {
  const response = await page.goto('/login');
  const csp = response!.headers()['content-security-policy'];
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);

  await signIn(page, NORTHWIND_ADMIN, '/analytics/psa');
  await expect(page.getByRole('list', { name: 'Push funnel' })).toBeVisible();
  if (!javaScriptEnabled) return;
  await hydrated(page);
  // The chart draws: ECharts (a script of ours) and the WebAssembly ran under the policy.
  await expect(page.locator('#psa-trend-chart canvas')).toHaveCount(1);
  // A script without the nonce (as an injection would be) does not run, and the browser
  // reports it: in a second page, since the fixture fails `page` on any violation.
  const probe = await page.context().newPage();
  const violations: string[] = [];
  probe.on('console', (m) => /Content Security Policy/i.test(m.text()) && violations.push(m.text()));
  const probeResponse = await probe.goto('/analytics/psa');
  // The probe's own document must carry the policy (a page served without it would let any
  // script run, and that must fail here by name rather than as "the script ran").
  expect(probeResponse!.status()).toBe(200);
  expect(probeResponse!.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+'/);
  await hydrated(probe);
  await expect(probe).toHaveURL(/\/analytics\/psa$/);
  const ran = await probe.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true;';
    document.body.appendChild(script);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  await probe.close();
});

import { defineConfig, devices } from '@playwright/test';

// Every spec runs twice: hydrated, and with JavaScript off (the SSR page must stand alone).
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
// A second server on the same data with the product's rate limit turned down (see
// helpers.ts LIMITED_URL), for the specs that meet a limit for real.
const limitedPort = port + 1;

const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    // Debian's Chromium: Playwright cannot download its own browser here.
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
};

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  use: { baseURL, trace: 'retain-on-failure' },
  projects: [
    { name: 'hydrated', use: { ...chromium, javaScriptEnabled: true } },
    // `*.hydrated.spec.ts` drive server-function calls, which only a hydrated page makes.
    { name: 'no-js', use: { ...chromium, javaScriptEnabled: false }, testIgnore: /\.hydrated\.spec\.ts$/ },
  ],
  webServer: [server(port, 1000), server(limitedPort, 2)],
});

/** The app built by `cargo leptos build`, allowing `perMinute` loads of each data source. */
function server(port: number, perMinute: number) {
  return {
    // The binary built by `cargo leptos build`, run from the repository root so it reads
    // Leptos.toml; scripts/test.sh seeds the demo data into its database first.
    command: `${process.env.FLOWPILOT_BIN ?? 'target/debug/flowpilot-analytics'} serve`,
    cwd: '..',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    env: {
      DATABASE_URL:
        process.env.E2E_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/flowpilot_e2e',
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: 'target/site',
      FLOWPILOT_SECURE_COOKIES: 'false',
      // The main server's specs compare the page with the JSON API many times a minute; the
      // 15/min limit itself is covered by the Rust integration tests.
      FLOWPILOT_RATE_LIMIT_PER_MINUTE: String(perMinute),
      // Each server's metrics listener on a port of its own (the default is one per host).
      FLOWPILOT_METRICS_ADDR: `127.0.0.1:${port + 1000}`,
      RUST_LOG: 'warn',
    },
  };
}

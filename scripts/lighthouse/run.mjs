// Lighthouse (pinned in package.json) on every analytics tab, signed in, with the mobile and
// the desktop preset, in Debian's Chromium; appends a Markdown section to the report beside
// SPEC §12's budgets. Driven by scripts/lighthouse.sh, which builds, seeds and signs in.
//
// Usage: node run.mjs <base url> <cookie> <report.md> [runs per page, default 3]
// Each figure is the median of the runs (each metric on its own), as Lighthouse's own docs
// advise for a figure that varies run to run.
import { appendFileSync } from 'node:fs';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import * as chromeLauncher from 'chrome-launcher';

const [base, cookie, report, runsArg] = process.argv.slice(2);
if (!base || !cookie || !report) {
  console.error('usage: node run.mjs <base url> <cookie> <report.md> [runs]');
  process.exit(2);
}
const runs = Number(runsArg ?? 3);
// LIGHTHOUSE_TABS (comma-separated paths) measures only those.
const tabs = process.env.LIGHTHOUSE_TABS?.split(',') ?? [
  '/analytics',
  '/analytics/coverage',
  '/analytics/flow-quality',
  '/analytics/psa',
];
const presets = [
  ['mobile', undefined],
  ['desktop', desktopConfig],
];
// SPEC §12, mobile preset: performance ≥ 98, accessibility 100, TTI ≤ 3.0 s, TBT ≤ 100 ms;
// every tab's first load ≤ 350 KB.
const budget = { performance: 98, accessibility: 100, tti: 3000, tbt: 100, bytes: 350 * 1024 };

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function measure(url, config) {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const flags = {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
      extraHeaders: { Cookie: cookie },
    };
    const result = await lighthouse(url, flags, config);
    const lhr = result.lhr;
    if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.message}`);
    if (new URL(lhr.finalDisplayedUrl).pathname !== new URL(url).pathname) {
      throw new Error(`${url} ended at ${lhr.finalDisplayedUrl}: not signed in?`);
    }
    const audit = (id) => lhr.audits[id];
    return {
      performance: Math.round(lhr.categories.performance.score * 100),
      accessibility: Math.round(lhr.categories.accessibility.score * 100),
      tti: audit('interactive').numericValue,
      tbt: audit('total-blocking-time').numericValue,
      lcp: audit('largest-contentful-paint').numericValue,
      cls: audit('cumulative-layout-shift').numericValue,
      bytes: audit('total-byte-weight').numericValue,
      cacheTtl: audit('uses-long-cache-ttl').score,
      unusedJs: audit('unused-javascript').details?.overallSavingsBytes ?? 0,
      // The accessibility audits that failed, by id, with the elements they name.
      a11yFailures: lhr.categories.accessibility.auditRefs
        .map((ref) => lhr.audits[ref.id])
        .filter((a) => a.score !== null && a.score < 1)
        .map((a) => {
          const nodes = (a.details?.items ?? []).map((i) => i.node?.snippet).filter(Boolean);
          return `${a.id} (${nodes.slice(0, 3).join(' ') || a.title})`;
        }),
    };
  } finally {
    await chrome.kill();
  }
}

const rows = [];
for (const [preset, config] of presets) {
  for (const tab of tabs) {
    const samples = [];
    for (let i = 0; i < runs; i += 1) samples.push(await measure(base + tab, config));
    const m = (key) => median(samples.map((s) => s[key]));
    const row = {
      preset,
      tab,
      performance: m('performance'),
      accessibility: m('accessibility'),
      tti: m('tti'),
      tbt: m('tbt'),
      lcp: m('lcp'),
      cls: m('cls'),
      bytes: m('bytes'),
      cacheTtl: Math.min(...samples.map((s) => s.cacheTtl ?? 1)),
      unusedJs: m('unusedJs'),
      a11yFailures: [...new Set(samples.flatMap((s) => s.a11yFailures))],
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}

const mark = (ok) => (ok ? '✓' : '✗');
const kb = (bytes) => (bytes / 1024).toFixed(0);
const lines = [
  '',
  `| preset | tab | performance | accessibility | TTI s | TBT ms | LCP s | CLS | transfer KB | unused JS KB | long cache TTL |`,
  '|---|---|---|---|---|---|---|---|---|---|---|',
];
for (const r of rows) {
  const mobile = r.preset === 'mobile';
  const judged = (value, ok) => (mobile ? `${value} ${mark(ok)}` : `${value}`);
  lines.push(
    `| ${r.preset} | ${r.tab} | ${judged(r.performance, r.performance >= budget.performance)} | ` +
      `${judged(r.accessibility, r.accessibility >= budget.accessibility)} | ` +
      `${judged((r.tti / 1000).toFixed(1), r.tti <= budget.tti)} | ` +
      `${judged(r.tbt.toFixed(0), r.tbt <= budget.tbt)} | ${(r.lcp / 1000).toFixed(1)} | ` +
      `${r.cls.toFixed(3)} | ${kb(r.bytes)} ${mark(r.bytes <= budget.bytes)} | ${kb(r.unusedJs)} | ` +
      `${r.cacheTtl === 1 ? 'passes' : 'fails'} |`,
  );
}
for (const r of rows.filter((r) => r.a11yFailures.length)) {
  lines.push('', `- accessibility on ${r.tab} (${r.preset}): ${r.a11yFailures.join('; ')}`);
}
lines.push(
  '',
  `Median of ${runs} runs per page and preset (each metric on its own). ✓/✗ against SPEC §12's ` +
    `budgets (mobile: performance ≥ ${budget.performance}, accessibility ${budget.accessibility}, ` +
    `TTI ≤ ${budget.tti / 1000} s, TBT ≤ ${budget.tbt} ms; every tab's first load ≤ 350 KB).`,
  '',
);
appendFileSync(report, lines.join('\n'));

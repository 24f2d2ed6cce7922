import { expect, type Page } from '@playwright/test';
import { NORTHWIND_ADMIN, metric, percent, signIn, test } from './helpers';
import { dataOf, shownAnswer } from './api';

/** What ECharts holds for the chart drawn in `id`. */
function chartOption(page: Page, id: string) {
  return page.evaluate((id) => {
    const echarts = (window as unknown as { echarts: any }).echarts;
    const element = document.getElementById(id);
    const instance = element && echarts.getInstanceByDom(element);
    if (!instance) return null;
    const option = instance.getOption();
    return {
      yAxes: option.yAxis.length,
      series: option.series.map((s: any) => `${s.type}:${s.yAxisIndex}:${s.areaStyle ? 'area' : ''}`),
      days: option.xAxis[0].data.length,
      width: instance.getWidth(),
    };
  }, id);
}

test('cards and funnel show the PSA numbers', async ({ page }) => {
  await signIn(page, NORTHWIND_ADMIN);
  await page.getByRole('link', { name: 'PSA', exact: true }).click();
  await expect(page).toHaveURL(/\/analytics\/psa$/);
  const api = await shownAnswer(page, 'psa-metrics', { period: '30d' });
  expect(api.total_time_entries).toBeGreaterThan(0);

  await expect(metric(page, 'Total time entries')).toHaveText(String(api.total_time_entries));
  await expect(metric(page, 'Total hours logged')).toHaveText(api.total_hours_logged.toFixed(2));
  await expect(metric(page, 'Avg hours/session')).toHaveText(api.avg_hours_per_session.toFixed(2));

  const f = api.push_funnel;
  const steps: [string, number, number | null][] = [
    ['All sessions', f.total_sessions, null],
    ['Linked to a ticket', f.linked_to_ticket, f.total_sessions],
    ['Note pushed', f.doc_pushed, f.linked_to_ticket],
    ['Time entry logged', f.time_entry_logged, f.doc_pushed],
  ];
  const funnel = page.getByRole('list', { name: 'Push funnel' }).getByRole('listitem');
  await expect(funnel).toHaveCount(4);
  for (const [index, [label, count, from]] of steps.entries()) {
    const step = funnel.nth(index);
    await expect(step).toContainText(label);
    await expect(step.locator('[data-count]')).toHaveText(String(count));
    if (from !== null) {
      const expected = Math.round((count / from) * 1000) / 1000;
      await expect(step.locator('[data-conversion]')).toHaveText(percent(expected));
    }
  }
});

test('the trend is a dual-axis chart after hydration and a table for everyone', async ({
  page,
  javaScriptEnabled,
}) => {
  await signIn(page, NORTHWIND_ADMIN, '/analytics/psa?period=30d');
  const month = await dataOf(page, 'psa-metrics', { period: '30d' });
  const chart = page.getByRole('img', { name: 'Time entries and hours logged per day' });
  if (javaScriptEnabled) {
    await expect(chart.locator('canvas').first()).toBeVisible();
    await expect.poll(() => chartOption(page, 'psa-trend-chart')).toMatchObject({
      yAxes: 2,
      series: ['bar:0:', 'line:1:area'],
      days: month.daily_trend.length,
    });

    // Re-drawn for the new period.
    const week = await dataOf(page, 'psa-metrics', { period: '7d' });
    await page.getByRole('link', { name: '7d', exact: true }).click();
    await expect(page).toHaveURL(/period=7d/);
    await expect
      .poll(async () => (await chartOption(page, 'psa-trend-chart'))?.days)
      .toBe(week.daily_trend.length);

    // And resized with the window.
    const before = (await chartOption(page, 'psa-trend-chart'))!.width;
    await page.setViewportSize({ width: 700, height: 900 });
    await expect
      .poll(async () => (await chartOption(page, 'psa-trend-chart'))?.width)
      .toBeLessThan(before);
  } else {
    await expect(chart).toBeAttached();
    await expect(chart.locator('canvas')).toHaveCount(0);
  }
  await page.getByText('Daily numbers').click();
  const current = javaScriptEnabled ? await dataOf(page, 'psa-metrics', { period: '7d' }) : month;
  const rows = page.getByRole('table', { name: 'Time entries by day' }).locator('tbody tr');
  await expect(rows).toHaveCount(current.daily_trend.length);
  const busiest = current.daily_trend.reduce((a, b) => (b.entries > a.entries ? b : a));
  await expect(rows.filter({ hasText: busiest.date })).toContainText(String(busiest.entries));
});

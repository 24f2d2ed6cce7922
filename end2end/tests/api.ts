import { expect, type Page } from '@playwright/test';

/** The REST API's response shapes, as the specs read them (the fields they use). */
export type Overview = {
  total_sessions: number;
  resolved_sessions: number;
  escalated_sessions: number;
  resolution_rate: number;
  escalation_rate: number;
  guided_rate: number;
  avg_confidence: number | null;
  avg_resolution_minutes: number | null;
  matched_flow_rate: number;
  daily_trend: { date: string; sessions: number; resolved: number; escalated: number }[];
  top_domains: { domain: string; session_count: number }[];
  by_technician: Breakdown[];
  by_client: Breakdown[];
  window: Window;
  previous?: Overview;
};

/** A technician's or client's row of Overview's breakdowns (SPEC §7). */
export type Breakdown = {
  id: string;
  name: string;
  sessions: number;
  resolution_rate: number;
  escalation_rate: number;
  avg_resolution_minutes: number | null;
  hours_logged: number;
};

/** What every response covers (SPEC §7). */
export type Window = { from: string; to: string; timezone: string; as_of: string };

export type CoverageRow = {
  domain: string;
  flow_count: number;
  session_count: number;
  resolution_rate: number;
  escalation_rate: number;
  guided_rate: number;
  avg_resolution_minutes: number | null;
};
export type Coverage = { domains: CoverageRow[]; unmapped_session_count: number; total_domains: number };

export type Flow = {
  flow_id: string;
  name: string;
  tree_type: string;
  usage_count: number;
  success_rate: number | null;
  last_matched_at: string | null;
  avg_confidence: number | null;
  quality_score: number;
};
export type FlowQuality = { flows: Flow[]; top_performers: Flow[]; needs_attention: Flow[] };

export type Psa = {
  total_time_entries: number;
  total_hours_logged: number;
  avg_hours_per_session: number;
  push_funnel: { total_sessions: number; linked_to_ticket: number; doc_pushed: number; time_entry_logged: number };
  daily_trend: { date: string; entries: number; hours: number }[];
};

const ENDPOINTS = {
  overview: '/api/v1/analytics/flowpilot',
  coverage: '/api/v1/analytics/flowpilot/coverage',
  'flow-quality': '/api/v1/analytics/flowpilot/flow-quality',
  'psa-metrics': '/api/v1/analytics/flowpilot/psa-metrics',
} as const;

type Answers = { overview: Overview; coverage: Coverage; 'flow-quality': FlowQuality; 'psa-metrics': Psa };

/** A data source's answer for the signed-in user (the page's cookies come along); must be 200. */
export async function dataOf<S extends keyof Answers>(
  page: Page,
  source: S,
  params: Record<string, string>,
): Promise<Answers[S]> {
  const query = new URLSearchParams(params).toString();
  const response = await page.request.get(`${ENDPOINTS[source]}?${query}`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as Answers[S];
}

/**
 * A rolling period's answer as the page on screen shows it. A period ends now and so moves: a
 * session can leave the window between the page's render and the API's answer. This asks,
 * reloads the page and asks again until two answers in a row agree (`as_of` aside): the page
 * was rendered between them, so it shows that answer.
 */
export async function shownAnswer<S extends keyof Answers>(
  page: Page,
  source: S,
  params: Record<string, string>,
): Promise<Answers[S]> {
  const same = (a: unknown, b: unknown) => {
    const text = (value: unknown) => JSON.stringify(value, (key, v) => (key === 'as_of' ? undefined : v));
    return text(a) === text(b);
  };
  let before = await dataOf(page, source, params);
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.reload();
    const after = await dataOf(page, source, params);
    if (same(before, after)) return after;
    before = after;
  }
  throw new Error(`the ${source} answer kept changing between reloads`);
}

/** `day` moved by `days` (YYYY-MM-DD, calendar arithmetic). */
export function shift(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * `days` whole account-local days ending yesterday, as `from`/`to`. A period ends now and so
 * moves while a test runs (a session can leave a 30-day window between the page's render and
 * the API's answer); a range of past days holds still, so the two can be compared exactly.
 */
export async function settledRange(page: Page, days: number): Promise<{ from: string; to: string }> {
  const today = (await dataOf(page, 'overview', { period: '7d' })).window.to;
  return { from: shift(today, -days), to: shift(today, -1) };
}

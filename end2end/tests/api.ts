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
  window: Window;
  previous?: Overview;
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

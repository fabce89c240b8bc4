import { readFileSync } from 'node:fs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { dashboardGraphs, sharedSynth } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

// review R-FINOPS H2: the dashboard row said "free for the first 3 dashboards in an account", but
// CloudWatch's free tier holds 3 dashboards of up to 50 metrics each, and the stack's one dashboard
// graphs more than 50 from 3 instances with the report and the alerts. The row's counts are now
// the template's.
const OPERATIONS = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
const dashboardRow = OPERATIONS.split('\n').find((line) => line.startsWith('| Dashboard ')) ?? '';

const REPORT = { enabled: true, sender: 'reports@acme-co.com', recipients: ['sec@acme-co.com'] };
const ALERTS = { enabled: true, allowNoSubscriber: true };
const instances = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `i${i}` }));

/**
 * The metrics the stack's dashboard graphs: its metric lines, math expressions left out (they add
 * no metric), each metric once (by its namespace, name and dimensions) however many graphs show it.
 */
function dashboardMetrics(count: number, features: Record<string, unknown>): number {
  const { template } = sharedSynth({ ...features, instances: instances(count) });
  const lines = dashboardGraphs(template)
    .flatMap((graph) => graph.metrics)
    .filter((line) => !line.some((part) => typeof part === 'object' && 'expression' in part));
  return new Set(lines.map((line) => JSON.stringify(line.filter((part) => typeof part === 'string')))).size;
}

describe('the dashboard row of the cost notes (docs/operations.md) matches the template', () => {
  it('counts the metrics the dashboard graphs, by instances and features', () => {
    const both = { report: REPORT, alerts: ALERTS };
    const withBoth = [1, 2, 3].map((count) => dashboardMetrics(count, both));
    const without = [3, 4].map((count) => dashboardMetrics(count, {}));
    expect(dashboardRow).toContain(
      `${withBoth[0]} metrics for one instance with the weekly report and the alerts, ${withBoth[1]} for two, ${withBoth[2]} for three; ${without[0]} for three without them, ${without[1]} for four`,
    );
    // The row's claim of which stacks stay inside the free tier's 50 metrics.
    expect(withBoth.map((metrics) => metrics <= 50)).toEqual([true, true, false]);
    expect(without.map((metrics) => metrics <= 50)).toEqual([true, false]);
  });
});

import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_INSTANCES } from '../../infra/config/config-fields.ts';
import { costNotes } from '../support/cost-notes.ts';
import { dashboardGraphs, type Synthesized, sharedSynth } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

// review FINOPS (2026-12-07): the cost notes priced one instance and three, never the 20 a stack
// may hold, and had two "Dashboard" rows, the second one stale, which dashboard-cost-doc.test.ts,
// reading the first, never saw. The table per service counts what the template creates at 1 and
// 20 instances; these tests hold its counts to the template and its totals to its rows.

/** The rows of the first markdown table after `heading` (a line of the cost notes), as cells. */
function tableRows(heading: string): string[][] {
  const lines = costNotes.slice(costNotes.indexOf(heading)).split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
  return lines.slice(start + 2, end).map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
}

const PER_SERVICE = new Map(
  tableRows('**Per service, 1 and 20 instances**').map((cells) => [cells[0] ?? '', cells]),
);
const cellsOf = (service: string): string[] => PER_SERVICE.get(service) ?? [];
const rowOf = (service: string): string => cellsOf(service).join(' | ');

const REPORT = { enabled: true, sender: 'reports@acme-co.com', recipients: ['sec@acme-co.com'] };
const ALERTS = { enabled: true, allowNoSubscriber: true };
const instances = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `i${i}` }));
const ONE = sharedSynth({ report: REPORT, alerts: ALERTS, instances: instances(1) });
const TWENTY = sharedSynth({ report: REPORT, alerts: ALERTS, instances: instances(MAX_INSTANCES) });
const TWENTY_INGEST_ONLY = sharedSynth({ instances: instances(MAX_INSTANCES) });

const propertiesOf = ({ template }: Synthesized, type: string) =>
  Object.values(template.findResources(type)).map((resource) => resource.Properties);

interface AlarmProperties {
  MetricName?: string;
  Metrics?: { MetricStat?: unknown; Expression?: string }[];
}

/**
 * The alarms of a stack and the metrics CloudWatch bills them for ($0.10 each): a metric alarm
 * reads one, a metric-math alarm each metric of its math, and a Metrics Insights alarm (its query
 * the expression) every metric it analyzes: one per instance (as alarm-cost-doc.test.ts counts).
 */
function alarmMetrics(stack: Synthesized, instanceCount: number) {
  const alarms = propertiesOf(stack, 'AWS::CloudWatch::Alarm') as AlarmProperties[];
  const isQuery = (m: { Expression?: string }) => /^SELECT /.test(m.Expression ?? '');
  const metrics = alarms.reduce((total, alarm) => {
    if (alarm.MetricName !== undefined) return total + 1;
    const lines = alarm.Metrics ?? [];
    return (
      total +
      lines.filter((m) => m.MetricStat !== undefined).length +
      lines.filter(isQuery).length * instanceCount
    );
  }, 0);
  return { alarms: alarms.length, metrics };
}

/** Distinct metrics the dashboard graphs (math expressions left out), as dashboard-cost-doc.test.ts counts. */
function dashboardMetrics({ template }: Synthesized): number {
  const lines = dashboardGraphs(template)
    .flatMap((graph) => graph.metrics)
    .filter((line) => !line.some((part) => typeof part === 'object' && 'expression' in part));
  return new Set(lines.map((line) => JSON.stringify(line.filter((part) => typeof part === 'string')))).size;
}

const dollars = (usd: number) => `$${usd.toFixed(2)}`;

/** The dollar figure a cell ends on, bold: `**$3.05**`, `**~$0.90-1.10**`, as [low, high]. */
function figureOf(cell: string | undefined): [number, number] {
  const bold = [...(cell ?? '').matchAll(/\*\*~?\$(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?\*\*/g)].at(-1);
  if (!bold) throw new Error(`no bold dollar figure in "${cell}"`);
  const low = Number(bold[1]);
  return [low, bold[2] === undefined ? low : Number(bold[2])];
}

describe('the cost notes per service, 1 and 20 instances (docs/operations.md), match the template', () => {
  it('have one row per item in each cost table', () => {
    for (const heading of ['## Cost notes', '**Worked examples**', '**Per service, 1 and 20 instances**']) {
      const names = tableRows(heading).map(([name]) => name);
      expect(names.length, heading).toBeGreaterThan(5);
      expect(
        names.filter((name, i) => names.indexOf(name) !== i),
        heading,
      ).toEqual([]);
    }
  });

  it('count the alarms and the metrics they read, and price them', () => {
    const one = alarmMetrics(ONE, 1);
    const twenty = alarmMetrics(TWENTY, MAX_INSTANCES);
    const ingestOnly = alarmMetrics(TWENTY_INGEST_ONLY, MAX_INSTANCES);
    const row = rowOf('CloudWatch alarms');
    expect(row).toContain(`${one.alarms} alarms reading ${one.metrics} metrics for one instance`);
    expect(row).toContain(`${twenty.alarms} reading ${twenty.metrics} for ${MAX_INSTANCES}`);
    expect(row).toContain(
      `${ingestOnly.alarms} reading ${ingestOnly.metrics} without the report and the alerts`,
    );
    expect(cellsOf('CloudWatch alarms')[2]).toBe(`${one.metrics} × $0.10: **${dollars(one.metrics * 0.1)}**`);
    expect(cellsOf('CloudWatch alarms')[3]).toBe(
      `${twenty.metrics} × $0.10: **${dollars(twenty.metrics * 0.1)}**`,
    );
  });

  it('count the dashboard and the metrics it graphs', () => {
    expect(propertiesOf(TWENTY, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
    const [one, twenty] = [dashboardMetrics(ONE), dashboardMetrics(TWENTY)];
    expect(rowOf('CloudWatch dashboard')).toContain(
      `1 dashboard, graphing ${one} metrics for one instance, ${twenty} for ${MAX_INSTANCES}`,
    );
    // The row's prices: inside the free tier's 50 metrics for one, $3 for 20.
    expect([one <= 50, twenty <= 50]).toEqual([true, false]);
  });

  it('count the log groups and their retention', () => {
    const retention = (stack: Synthesized) => [
      ...new Set(propertiesOf(stack, 'AWS::Logs::LogGroup').map((group) => group.RetentionInDays)),
    ];
    const [one, twenty] = [ONE, TWENTY].map((stack) => propertiesOf(stack, 'AWS::Logs::LogGroup').length);
    expect(retention(ONE)).toEqual(retention(TWENTY));
    expect(rowOf('CloudWatch Logs')).toContain(
      `${one} log groups for one instance, ${twenty} for ${MAX_INSTANCES}, each kept ${retention(TWENTY)[0]} days`,
    );
  });

  it('count the secrets, the keys and the schedules', () => {
    expect(rowOf('Secrets Manager')).toContain(
      `${propertiesOf(TWENTY, 'AWS::SecretsManager::Secret').length} secrets for ${MAX_INSTANCES}`,
    );
    const keys = propertiesOf(TWENTY, 'AWS::KMS::Key').length;
    expect(propertiesOf(ONE, 'AWS::KMS::Key')).toHaveLength(keys);
    expect(rowOf('KMS')).toContain(`${keys} keys whatever the instances`);
    const schedules = (stack: Synthesized) => propertiesOf(stack, 'AWS::Scheduler::Schedule').length;
    expect(rowOf('EventBridge Scheduler')).toContain(
      `${schedules(ONE)} schedules for one instance, ${schedules(TWENTY)} for ${MAX_INSTANCES}`,
    );
  });

  it('name the functions by the memory the template gives them', () => {
    const memory = (part: string) => {
      const sizes = Object.entries(TWENTY.template.findResources('AWS::Lambda::Function'))
        .filter(([id]) => id.includes(part))
        .map(([, resource]) => resource.Properties.MemorySize);
      return [...new Set(sizes)];
    };
    const row = rowOf('Lambda');
    for (const [name, part] of [
      ['ingest', 'IngestFunction'],
      ['alerts', 'AlertsAlerts'],
      ['report', 'WeeklyReportFunction'],
    ]) {
      const sizes = memory(part as string);
      expect(sizes, name).toHaveLength(1);
      expect(row).toContain(`${name} ${sizes[0]?.toLocaleString('en-US').replace(',', ' ')} MB`);
    }
  });

  it("add up to their totals, as the worked examples' busy stack does", () => {
    const busy = tableRows('**Worked examples**');
    const [low, high] = busy
      .filter(([row]) => row !== '**Total**')
      .reduce<[number, number]>(
        ([l, h], cells) => {
          const [cl, ch] = figureOf(cells[2]);
          return [l + cl, h + ch];
        },
        [0, 0],
      );
    const busyTotal = busy.find(([row]) => row === '**Total**') ?? [];
    expect(busyTotal[2]).toContain(`**${dollars(low)}-${dollars(high).slice(1)}**`);

    const rows = [...PER_SERVICE.values()].filter(([service]) => service !== '**Total**');
    const sum = (column: number) =>
      rows.reduce<[number, number]>(
        ([low, high], cells) => {
          const [l, h] = figureOf(cells[column]);
          return [low + l, high + h];
        },
        [0, 0],
      );
    const [one, twenty] = [sum(2), sum(3)];
    const total = PER_SERVICE.get('**Total**') ?? [];
    expect(total[2]).toContain(`**${dollars(one[0])}-${dollars(one[1]).slice(1)}**`);
    expect(total[3]).toContain(`**${dollars(twenty[0])}-${dollars(twenty[1]).slice(1)}**`);
  });
});

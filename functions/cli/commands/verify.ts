import { existsSync } from 'node:fs';
import { DEFAULT_LAKE, openLake, parseLakeSpec } from '../../adapters/lake-location.ts';
import { lakeTimestamp } from '../../core/lake/layout.ts';
import { type VerifyReport, verifyLake } from '../../core/lake/verify-lake.ts';
import { parseHourRange, parseOptions } from '../options.ts';
import { UsageError } from '../usage-error.ts';
import type { CommandIo } from './ingest.ts';

export const verifyHelp = `Usage: domo-activity-lake verify [options]

Checks what the lake promises for one instance: every hour covered, no event stored twice, every
record in the right hour and date partition, manifests that match the stored objects, and what was
quarantined and why. Exits 1 when a promise is broken.

Options:
  --instance <name>       instance (default: default)
  --lake <dir|s3://b/p>   where the lake is (default: ${DEFAULT_LAKE})
  --from <time> --to <time>  hours to check (default: first to last covered hour)
  --json                  print the report as JSON
`;

const spec = {
  instance: { type: 'string', default: 'default' },
  lake: { type: 'string', default: DEFAULT_LAKE },
  from: { type: 'string' },
  to: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

export async function verifyCommand(argv: readonly string[], io: CommandIo): Promise<VerifyReport> {
  const { values } = parseOptions(argv, spec);
  const range = parseHourRange(values.from, values.to);
  if (parseLakeSpec(values.lake).kind === 'fs' && !existsSync(values.lake)) {
    throw new UsageError(
      `there is no lake at ${values.lake}: check --lake (a directory, or s3://bucket/prefix)`,
    );
  }
  const store = openLake(values.lake);
  const report = await verifyLake(store, values.instance, range);
  io.stdout.write(
    values.json ? `${JSON.stringify(report, null, 2)}\n` : describeReport(report, store.location),
  );
  return report;
}

const hour = (ms: number | null) => (ms === null ? '-' : `${lakeTimestamp(ms).slice(0, 13)}:00Z`);

export function describeReport(r: VerifyReport, location: string): string {
  if (r.fromMs === null) return `verify ${r.instance} at ${location}: the lake holds no covered hour yet\n`;
  const lines = [
    `verify ${r.instance} at ${location}: ${hour(r.fromMs)} .. ${hour(r.toMs)}`,
    `  hours covered: ${r.windowsCovered} of ${r.windowsExpected}${r.gaps.length ? ` (${r.gaps.length} gap(s))` : ''}`,
    `  events: ${r.events}, duplicate ids: ${r.duplicateIds}, misplaced: ${r.misplacedRecords}, late events found: ${r.lateEventsTotal}`,
    `  quarantined: ${r.quarantined}${r.outOfWindow ? ` (outside their window: ${r.outOfWindow})` : ''}`,
    ...r.quarantineReasons.slice(0, 5).map((q) => `    ${q.count} x ${q.reason}`),
    `  watermark: ${hour(r.watermarkMs)}`,
  ];
  for (const g of r.gaps.slice(0, 10)) lines.push(`  gap: ${hour(g.fromMs)} .. ${hour(g.toMs)}`);
  if (r.uncoveredBelowWatermark > 0)
    lines.push(`  ${r.uncoveredBelowWatermark} hour(s) below the watermark are not covered`);
  if (r.interruptedWindows > 0)
    lines.push(`  ${r.interruptedWindows} hour(s) were interrupted mid-pull; the next ingest repairs them`);
  for (const m of r.manifestMismatches) lines.push(`  mismatch at ${hour(m.windowStartMs)}: ${m.detail}`);
  lines.push(r.ok ? '  OK' : '  PROBLEMS FOUND');
  return `${lines.join('\n')}\n`;
}

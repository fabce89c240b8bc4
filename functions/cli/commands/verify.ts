import { DEFAULT_LAKE } from '../../adapters/lake-location.ts';
import { lakeTimestamp } from '../../core/lake/layout.ts';
import { type VerifyReport, verifyLake } from '../../core/lake/verify-lake.ts';
import { openLakeTarget } from '../lake-target.ts';
import { parseHourRange, parseOptions } from '../options.ts';
import type { CommandIo } from './ingest.ts';

export const verifyHelp = `Usage: domo-activity-lake verify [options]

Checks what the lake promises for one instance: every hour covered, no event stored twice, every
record in the right hour and date partition, manifests that match the stored objects, and what was
quarantined and why. Exits 1 when a promise is broken.

Options:
  --instance <name>       instance (default: the lake's only instance)
  --lake <dir|s3://b/p>   where the lake is (default: ${DEFAULT_LAKE})
  --from <time> --to <time>  hours to check (default: first to last covered hour)
  --json                  print the report as JSON
`;

const spec = {
  instance: { type: 'string' },
  lake: { type: 'string', default: DEFAULT_LAKE },
  from: { type: 'string' },
  to: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

export async function verifyCommand(argv: readonly string[], io: CommandIo): Promise<VerifyReport> {
  const { values } = parseOptions(argv, spec);
  const range = parseHourRange(values.from, values.to);
  const { store, instance } = await openLakeTarget(values.lake, values.instance, { access: 'read' });
  const report = await verifyLake(store, instance, range);
  io.stdout.write(
    values.json ? `${JSON.stringify(report, null, 2)}\n` : describeReport(report, store.location),
  );
  return report;
}

const SHOWN_REASONS = 5;

/** The most frequent quarantine reasons, and how many more there are (`--json` lists them all). */
function topReasons(reasons: VerifyReport['quarantineReasons']): string[] {
  const lines = reasons.slice(0, SHOWN_REASONS).map((q) => `    ${q.count} x ${q.reason}`);
  const rest = reasons.slice(SHOWN_REASONS);
  if (rest.length > 0) {
    const entries = rest.reduce((sum, q) => sum + q.count, 0);
    lines.push(`    and ${rest.length} more reason(s) (${entries} entries): --json lists them all`);
  }
  return lines;
}

const hour = (ms: number | null) => (ms === null ? '-' : `${lakeTimestamp(ms).slice(0, 13)}:00Z`);

export function describeReport(r: VerifyReport, location: string): string {
  if (r.fromMs === null) return `verify ${r.instance} at ${location}: the lake holds no covered hour yet\n`;
  const lines = [
    `verify ${r.instance} at ${location}: ${hour(r.fromMs)} .. ${hour(r.toMs)}`,
    `  hours covered: ${r.windowsCovered} of ${r.windowsExpected}${r.gaps.length ? ` (${r.gaps.length} gap(s))` : ''}`,
    `  events: ${r.events}, duplicate ids: ${r.duplicateIds}, misplaced: ${r.misplacedRecords}, late events found: ${r.lateEventsTotal}`,
    `  quarantined: ${r.quarantined}${r.outOfWindow ? ` (outside their window: ${r.outOfWindow})` : ''}`,
    ...topReasons(r.quarantineReasons),
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

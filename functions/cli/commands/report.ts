import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openDuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { FileMailer } from '../../adapters/file-mailer.ts';
import { DEFAULT_LAKE } from '../../adapters/lake-location.ts';
import { assertInstanceName } from '../../core/lake/layout.ts';
import { buildReportModel, REPORT_DEFAULTS } from '../../core/report/build-report-model.ts';
import { renderReport } from '../../core/report/render-report.ts';
import { formatChange, formatCount, formatDayRange, plural } from '../../core/report/report-format.ts';
import type { WeeklyReportModel } from '../../core/report/report-model.ts';
import { resolveWeek } from '../../core/report/send-weekly-report.ts';
import { assertTimeZone } from '../../core/zoned-time.ts';
import { parseOptions, parseWholeNumber } from '../options.ts';
import { UsageError } from '../usage-error.ts';
import { type CommandIo, clockOf } from './ingest.ts';

export const DEFAULT_OUT = './out';
const DEFAULT_FROM = 'Domo activity <domo-activity@example.com>';
const DEFAULT_TO = 'admins@example.com';

export const reportHelp = `Usage: domo-activity-lake report [options]

Builds the weekly report from the lake with DuckDB, the way the report Lambda does with Athena, and
writes it into a directory instead of mailing it: report.html (open it in a browser), report.txt
(the plain-text alternative), report.eml (the complete mail; a mail client opens it) and
report.json (the report model). Nothing is sent and no sent-marker is written.

Options:
  --week <YYYY-Www>       ISO week to report, e.g. 2026-W47 (default: the last full week)
  --time-zone <zone>      IANA zone whose Monday-to-Monday weeks are reported (default UTC)
  --instance <name>       instance in the lake (default: default)
  --lake <dir>            the lake directory (default: ${DEFAULT_LAKE})
  --out <dir>             where the files go (default: ${DEFAULT_OUT})
  --mail-from <address>   From of report.eml (default: ${DEFAULT_FROM})
  --mail-to <address>     To of report.eml, repeatable (default: ${DEFAULT_TO})
  --top <n>               length of the top users, cards and pages lists (default ${REPORT_DEFAULTS.topN})
  --json                  print the report model as JSON instead of the summary
`;

const spec = {
  week: { type: 'string' },
  'time-zone': { type: 'string', default: 'UTC' },
  instance: { type: 'string', default: 'default' },
  lake: { type: 'string', default: DEFAULT_LAKE },
  out: { type: 'string', default: DEFAULT_OUT },
  'mail-from': { type: 'string', default: DEFAULT_FROM },
  'mail-to': { type: 'string', multiple: true },
  top: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

export interface LocalReportOptions {
  lakeDir: string;
  outDir: string;
  instance: string;
  timeZone: string;
  /** `YYYY-Www`; default the last full week before `nowMs`. */
  week?: string;
  nowMs: number;
  from: string;
  to: readonly string[];
  topN?: number;
}

export interface LocalReport {
  model: WeeklyReportModel;
  subject: string;
  paths: { html: string; txt: string; eml: string; json: string };
  htmlBytes: number;
}

/** Builds one week's report from a lake directory with DuckDB and writes it as files (used by `report` and `demo`). */
export async function writeLocalReport(options: LocalReportOptions): Promise<LocalReport> {
  const week = resolveWeek(options.timeZone, options.nowMs, options.week);
  const engine = await openDuckDbEngine({ lakeDir: options.lakeDir });
  let model: WeeklyReportModel;
  try {
    model = await buildReportModel(engine, {
      instance: options.instance,
      week,
      nowMs: options.nowMs,
      ...(options.topN === undefined ? {} : { topN: options.topN }),
    });
  } finally {
    await engine.close();
  }
  const rendered = renderReport(model);
  const mailer = new FileMailer({ dir: options.outDir, clock: { now: () => options.nowMs } });
  await mailer.send({ from: options.from, to: options.to, ...rendered });
  const json = join(mailer.dir, 'report.json');
  await writeFile(json, `${JSON.stringify(model, null, 2)}\n`, 'utf8');
  return {
    model,
    subject: rendered.subject,
    paths: { ...mailer.paths, json },
    htmlBytes: Buffer.byteLength(rendered.html, 'utf8'),
  };
}

/** A short terminal summary of a written report, ending with the file to open. */
export function describeLocalReport(report: LocalReport): string {
  const { model } = report;
  const t = model.totals;
  const h = model.health;
  return `${[
    `report ${model.week.isoWeek} (${model.instance}), ${formatDayRange(model.week.days)}, ${model.timeZone}: ${model.status}`,
    `  ${plural(t.events.current, 'event')} (${formatChange(t.events)}), ${plural(t.activeUsers.current, 'active user')}, ${plural(t.logins.current, 'login')}, ${plural(t.failedLogins.current, 'failed login')}, ${plural(t.lockouts.current, 'lockout')}`,
    `  ${plural(model.suspiciousLogins.length, 'suspicious login')}; coverage ${formatCount(h.coveredHours)} of ${formatCount(h.expectedHours)} hours; ${plural(h.quarantined, 'quarantined entry', 'quarantined entries')}`,
    ...model.notes.map((note) => `  note: ${note}`),
    `  subject: ${report.subject}`,
    `  open ${report.paths.html}`,
    `  (the mail: ${report.paths.eml}; text: ${report.paths.txt}; model: ${report.paths.json})`,
  ].join('\n')}\n`;
}

export async function reportCommand(argv: readonly string[], io: CommandIo): Promise<LocalReport> {
  const { values } = parseOptions(argv, spec);
  const instance = values.instance;
  const timeZone = values['time-zone'];
  try {
    assertInstanceName(instance);
    assertTimeZone(timeZone);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.week !== undefined && !/^\d{4}-W\d{2}$/.test(values.week)) {
    throw new UsageError(`--week "${values.week}" must be an ISO week like 2026-W47`);
  }
  if (!/^s3:/i.test(values.lake) && !existsSync(values.lake)) {
    throw new UsageError(
      `there is no lake at ${values.lake}: run \`demo\` or \`ingest\` first, or pass --lake <dir>`,
    );
  }
  const topN = parseWholeNumber('--top', values.top, REPORT_DEFAULTS.topN);
  if (topN < 1 || topN > 100) throw new UsageError('--top must be from 1 to 100');
  const report = await writeLocalReport({
    lakeDir: values.lake,
    outDir: resolve(values.out),
    instance,
    timeZone,
    ...(values.week ? { week: values.week } : {}),
    nowMs: clockOf(io).now(),
    from: values['mail-from'],
    to: values['mail-to']?.length ? values['mail-to'] : [DEFAULT_TO],
    topN,
  });
  io.stdout.write(values.json ? `${JSON.stringify(report.model, null, 2)}\n` : describeLocalReport(report));
  return report;
}

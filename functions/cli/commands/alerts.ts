import { resolve } from 'node:path';
import { FileMailer } from '../../adapters/file-mailer.ts';
import { DEFAULT_LAKE } from '../../adapters/lake-location.ts';
import { OverlayObjectStore } from '../../adapters/overlay-store.ts';
import { type Alert, publicAlert } from '../../core/alerts/alert.ts';
import type { AlertChannel } from '../../core/alerts/alert-channel.ts';
import { DEFAULT_ALERT_SETTINGS, validateAlertSettings } from '../../core/alerts/alert-settings.ts';
import { localDateTime } from '../../core/alerts/local-time.ts';
import { KIND_LABELS } from '../../core/alerts/render-alerts.ts';
import { type AlertsRunSummary, runAlerts } from '../../core/alerts/run-alerts.ts';
import { errorMessage } from '../../core/error-message.ts';
import { type Clock, type Log, type ObjectStore, silentLog, systemClock } from '../../core/ports.ts';
import { columns } from '../../core/report/render-text.ts';
import { visibleText } from '../../core/visible-text.ts';
import { openLakeTarget } from '../lake-target.ts';
import { parseInstant, parseOptions, parseTimeZone, parseWholeNumber } from '../options.ts';
import { UsageError } from '../usage-error.ts';
import { type CommandIo, clockOf } from './ingest.ts';

const DEFAULT_OUT = './out';
const DEFAULT_FROM = 'Domo activity alerts <domo-activity@example.com>';
const DEFAULT_TO = 'security@example.com';

export const alertsHelp = `Usage: domo-activity-lake alerts [options]

Evaluates the security alerts of the lake the way the alerts Lambda does (lockouts, bursts of
failed logins, logins from a new country or network owner, impossible journeys, logins at an
unusual hour), lists them, and writes the
message the Lambda would send into --out as alerts.eml (with alerts.html and alerts.txt). Nothing
is sent and the lake is not modified: no checkpoint, login profile or archive is written.

Options:
  --since <time>          evaluate hours from this UTC time (2026-10-01 or 2026-10-01T06:00:00Z);
                          default: from the first hour of the lake (what a first deploy does)
  --instance <name>       instance in the lake (default: the lake's only instance)
  --lake <dir|s3://...>   the lake (default: ${DEFAULT_LAKE})
  --format table|json     how the alerts are listed on stdout (default: table); json lists
                          {id, instance, kind, user_id, user_name, event_time, evidence}
  --out <dir>             where alerts.eml/.html/.txt go (default: ${DEFAULT_OUT}); none when no alert
  --time-zone <zone>      zone of "hour of day" and of the times shown (default UTC)
  --burst-failures <n>    failed logins that make a burst (default ${DEFAULT_ALERT_SETTINGS.burstFailures})
  --burst-minutes <n>     ...within this many minutes (default ${DEFAULT_ALERT_SETTINGS.burstMinutes}, at most 30)
  --mail-older-than <h>   alerts about events older than this many hours are only counted in the
                          message, as a first deploy does with history (default ${DEFAULT_ALERT_SETTINGS.mailOlderThanHours})
`;

const spec = {
  since: { type: 'string' },
  instance: { type: 'string' },
  lake: { type: 'string', default: DEFAULT_LAKE },
  format: { type: 'string', default: 'table' },
  out: { type: 'string', default: DEFAULT_OUT },
  'time-zone': { type: 'string', default: 'UTC' },
  'burst-failures': { type: 'string' },
  'burst-minutes': { type: 'string' },
  'mail-older-than': { type: 'string' },
} as const;

export interface LocalAlerts {
  summary: AlertsRunSummary;
  /** The written message, when there was an alert. */
  eml?: string;
}

export interface LocalAlertsOptions {
  /** The lake, read through an overlay: the run's own writes never reach it. */
  lake: ObjectStore;
  instance: string;
  outDir: string;
  sinceMs?: number;
  clock?: Clock;
  log?: Log;
  settings?: Parameters<typeof validateAlertSettings>[0];
}

/** Runs the alerts use case over a lake without writing to it; the message goes to files (used by `alerts` and `demo`). */
export async function evaluateLocalAlerts(options: LocalAlertsOptions): Promise<LocalAlerts> {
  const settings = validateAlertSettings(options.settings);
  const clock = options.clock ?? systemClock;
  const mailer = new FileMailer({ dir: options.outDir, basename: 'alerts', clock });
  let written = false;
  const channel: AlertChannel = {
    name: 'file',
    deliver: async (message) => {
      written = true;
      return mailer.send({ from: DEFAULT_FROM, to: [DEFAULT_TO], ...message });
    },
  };
  const summary = await runAlerts(
    {
      store: new OverlayObjectStore(options.lake),
      clock,
      log: options.log ?? silentLog,
      channels: [channel],
    },
    {
      instance: options.instance,
      settings,
      runId: `local-${clock.now()}`,
      ...(options.sinceMs === undefined ? {} : { startMs: options.sinceMs }),
    },
  );
  return { summary, ...(written ? { eml: mailer.paths.eml } : {}) };
}

const oneLine = (text: string | null): string =>
  visibleText(text ?? '')
    .replace(/[\t\n\r]+/g, ' ')
    .trim();

/** The alerts as aligned columns for a terminal (Domo strings cleaned like the report's text). */
export function alertsTable(alerts: readonly Alert[], timeZone: string): string {
  if (alerts.length === 0) return 'no alerts\n';
  const rows = alerts.map((a) => [
    localDateTime(a.event_time_ms, timeZone),
    KIND_LABELS[a.kind][0],
    oneLine(a.user_name) || oneLine(a.user_id) || 'unknown user',
    oneLine(a.evidence),
  ]);
  return `${columns([[`time (${timeZone})`, 'alert', 'user', 'evidence'], ...rows], 'llll').join('\n')}\n`;
}

function parseSettings(values: {
  'time-zone': string;
  'burst-failures'?: string;
  'burst-minutes'?: string;
  'mail-older-than'?: string;
}) {
  try {
    return validateAlertSettings({
      timeZone: parseTimeZone('--time-zone', values['time-zone']),
      burstFailures: parseWholeNumber(
        '--burst-failures',
        values['burst-failures'],
        DEFAULT_ALERT_SETTINGS.burstFailures,
      ),
      burstMinutes: parseWholeNumber(
        '--burst-minutes',
        values['burst-minutes'],
        DEFAULT_ALERT_SETTINGS.burstMinutes,
      ),
      mailOlderThanHours: parseWholeNumber(
        '--mail-older-than',
        values['mail-older-than'],
        DEFAULT_ALERT_SETTINGS.mailOlderThanHours,
      ),
    });
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
}

export async function alertsCommand(argv: readonly string[], io: CommandIo): Promise<LocalAlerts> {
  const { values } = parseOptions(argv, spec);
  if (values.format !== 'table' && values.format !== 'json') {
    throw new UsageError(`--format "${values.format}" is not known: use table or json`);
  }
  const settings = parseSettings(values);
  const sinceMs = values.since === undefined ? undefined : parseInstant('--since', values.since);
  const target = await openLakeTarget(values.lake, values.instance, { access: 'read' });
  const result = await evaluateLocalAlerts({
    lake: target.store,
    instance: target.instance,
    outDir: resolve(values.out),
    settings,
    log: io.log,
    clock: clockOf(io),
    ...(sinceMs === undefined ? {} : { sinceMs }),
  });
  const alerts = result.summary.raised;
  if (values.format === 'json') {
    io.stdout.write(`${JSON.stringify(alerts.map(publicAlert), null, 2)}\n`);
  } else {
    io.stdout.write(alertsTable(alerts, settings.timeZone));
    if (result.summary.status === 'no-data')
      io.stdout.write(
        '(the lake has no ingest checkpoint: alerts cover the hours up to it, and only an ingest without --from/--to writes one)\n',
      );
    if (result.eml) io.stdout.write(`message: ${result.eml}\n`);
  }
  return result;
}

/** A short terminal summary of a local alerts run (used by `demo`). */
export function describeLocalAlerts(result: LocalAlerts, timeZone: string, sinceMs: number): string {
  const alerts = result.summary.raised;
  const head = `alerts since ${localDateTime(sinceMs, timeZone)} ${timeZone}: ${alerts.length === 0 ? 'none' : alerts.length}`;
  const lines =
    alerts.length === 0
      ? []
      : alertsTable(alerts, timeZone)
          .trimEnd()
          .split('\n')
          .map((line) => `  ${line}`);
  return [head, ...lines, ...(result.eml ? [`  message: ${result.eml}`] : [])].join('\n');
}

import { lakeTimestamp } from '../lake/layout.ts';
import type { MetricSink } from '../ports.ts';
import { INGEST_METRICS } from './ingest-metrics.ts';
import type { IngestSummary, RunHours } from './ingest-types.ts';
import type { WindowResult } from './ingest-window.ts';

/** Quarantined entries at least this share of what a run read have their reasons named. */
export const QUARANTINE_REASONS_SHARE = 0.1;
/**
 * Fewer quarantined entries than this are a few odd ones, whatever share they are of a quiet
 * while: the Quarantine alarm's floor (infra/constructs/monitoring.ts) and status's, one rule.
 */
export const QUARANTINE_MIN_ENTRIES = 20;
/** How many kinds of reason the summary names. */
const QUARANTINE_REASONS_NAMED = 3;

/**
 * What a run's hours say of a change in Domo's answers (review R-DRIFT H2, H4, L2, M1, M2): events
 * stored again as a value changed, entries left out as events stored in another shape, hours whose
 * twins look like rows served twice, and the reasons entries were quarantined. Counted per hour as
 * metrics; told once, with the run's totals, when it ends. Hours whose entries mostly lack a
 * watched field are judged and told as they are stored (quiet-hours-before.ts).
 */
export class DriftTally {
  private readonly storedAgain = new HourTally();
  private readonly reshaped = new HourTally();
  private readonly twins = new HourTally();
  private readonly reasons = new Map<string, number>();

  constructor(private readonly metrics: MetricSink) {}

  hourDone(result: WindowResult): void {
    const { metrics } = this;
    metrics.count(INGEST_METRICS.changedInValue, result.changedInValue);
    metrics.count(INGEST_METRICS.reshaped, result.reshaped);
    metrics.count(INGEST_METRICS.twinHours, result.twinsWarned ? 1 : 0);
    this.storedAgain.add(result.windowStartMs, result.changedInValue);
    this.reshaped.add(result.windowStartMs, result.reshaped);
    if (result.twinsWarned) this.twins.add(result.windowStartMs, result.twinEntries, result.eventCount);
    for (const [kind, count] of result.quarantineReasons)
      this.reasons.set(kind, (this.reasons.get(kind) ?? 0) + count);
  }

  /** Puts the run's totals in `summary`; the notes that tell them. */
  finish(summary: IngestSummary): string[] {
    const storedAgain = this.storedAgain.hours();
    const reshaped = this.reshaped.hours();
    const twins = this.twins.hours();
    if (storedAgain) summary.storedAgain = storedAgain;
    if (reshaped) summary.reshaped = reshaped;
    if (twins) summary.twinHours = twins;
    const read = summary.eventsWritten + summary.quarantined;
    if (summary.quarantined > 0 && summary.quarantined >= read * QUARANTINE_REASONS_SHARE) {
      summary.quarantineReasons = [...this.reasons]
        .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
        .slice(0, QUARANTINE_REASONS_NAMED)
        .map(([kind, count]) => ({ kind, count }));
    }
    return driftNotes(summary);
  }
}

/** Counts of a run's hours: how many, the first and last, and the sum (and a second sum, `of`). */
class HourTally {
  private count = 0;
  private events = 0;
  private of = 0;
  private fromMs = Number.POSITIVE_INFINITY;
  private toMs = Number.NEGATIVE_INFINITY;

  add(windowStartMs: number, events: number, of = 0): void {
    if (events === 0) return;
    this.count++;
    this.events += events;
    this.of += of;
    this.fromMs = Math.min(this.fromMs, windowStartMs);
    this.toMs = Math.max(this.toMs, windowStartMs);
  }

  hours(): RunHours | undefined {
    if (this.count === 0) return undefined;
    return { events: this.events, hours: this.count, firstMs: this.fromMs, lastMs: this.toMs, of: this.of };
  }
}

const n = (count: number) => count.toLocaleString('en-US');
const plural = (count: number, word: string) => `${n(count)} ${word}${count === 1 ? '' : 's'}`;

/** "of 2026-12-05 10:00 UTC", or "of 3 hours, 2026-12-05 10:00 to 12:00 UTC". */
function ofHours(hours: RunHours): string {
  const first = lakeTimestamp(hours.firstMs).slice(0, 16);
  if (hours.hours === 1) return `of ${first} UTC`;
  const last = lakeTimestamp(hours.lastMs).slice(0, 16);
  const to = last.slice(0, 10) === first.slice(0, 10) ? last.slice(11) : last;
  return `of ${plural(hours.hours, 'hour')}, ${first} to ${to} UTC,`;
}

/** The lines that tell what {@link DriftTally.finish} put in a summary; none when it put nothing. */
export function driftNotes(summary: IngestSummary): string[] {
  const notes: string[] = [];
  const { storedAgain, reshaped, twinHours, quarantineReasons } = summary;
  if (reshaped) {
    notes.push(
      `${n(reshaped.events)} ${reshaped.events === 1 ? 'entry' : 'entries'} ${ofHours(reshaped)} ${reshaped.events === 1 ? 'was' : 'were'} not stored again: ` +
        'Domo now serves them in another shape (a field renamed, nested or nulled, or another action), each at ' +
        'the time of a stored event it no longer serves and saying most of what it said. Not counted as late; ' +
        'each such hour counts them in its coverage manifest (reshaped). Late events reported with these are ' +
        'this change, not Domo serving late: the lookback needs no raise.',
    );
  }
  if (storedAgain) {
    const one = storedAgain.events === 1;
    notes.push(
      `${plural(storedAgain.events, 'event')} ${ofHours(storedAgain)} ${one ? 'was' : 'were'} stored again: Domo now ` +
        `serves ${one ? 'it' : 'them'} with another value in a field (the same time, user, action and object as a ` +
        'stored event it no longer serves so): its entries changed. Not counted as late; each such hour counts ' +
        'them in its coverage manifest (changed_in_value), and verify counts the copies.',
    );
  }
  if (twinHours) {
    notes.push(
      `${n(twinHours.events)} of the ${n(twinHours.of)} events ${ofHours(twinHours)} are identical twins of another ` +
        'entry, more than bulk actions make: Domo may be serving rows twice. Stored as distinct events by design ' +
        '(each hour counts them in its coverage manifest: twin_entries); if Domo doubled them, every count of ' +
        'these hours is doubled too.',
    );
  }
  if (quarantineReasons && quarantineReasons.length > 0) {
    const read = summary.eventsWritten + summary.quarantined;
    const reasons = quarantineReasons.map(({ kind, count }) => `${kind} (${n(count)})`).join('; ');
    notes.push(
      `${n(summary.quarantined)} of the ${n(read)} entries this run newly read were quarantined, most for: ${reasons}`,
    );
  }
  return notes;
}

import * as z from 'zod';
import { errorMessage } from '../error-message.ts';
import type { ObjectStore } from '../ports.ts';
import { floorHour, HOUR_MS } from '../time-units.ts';
import { skippedHoursKey } from './layout.ts';

/** A span of hours an operator skipped on purpose, as the note names it: `[fromMs, toMs)`, whole hours. */
export interface SkippedSpan {
  fromMs: number;
  toMs: number;
  /** The operator's words ('' when the note gives none). */
  reason: string;
  /**
   * Where the hours the span is honoured for end: the hour its `written_at` falls in (hours not
   * closed when the note was written cannot have been lost yet), or `toMs` if earlier. `toMs` when
   * the span does not say when it was written (a note of before 2026-12-07's bound).
   */
  honouredToMs: number;
  /** Whether the span says when it was written (`written_at`). */
  dated: boolean;
}

/**
 * What `state/instance=<i>/skipped-hours.json` says: the spans skipped, or why it cannot be read
 * (then no hour counts as skipped: a note nobody can read must not silence a finding). Absent: none.
 */
export type SkippedHours = { spans: SkippedSpan[] } | { unreadable: string };

/**
 * A day (`2026-10-01`, UTC as JavaScript reads it) or a time with its zone (`Z` or an offset). A
 * time without one is refused: JavaScript reads it in the reading machine's zone, so `status` on
 * two machines (an operator's in Chicago, a scheduled check in UTC) took the same note for other
 * hours, and a `written_at` in UTC without its `Z` was "after now" west of Greenwich (review
 * REVIEW85).
 */
const ZONED_TIME =
  /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?))?$/;
const time = z
  .string()
  .refine(
    (t) => ZONED_TIME.test(t.trim()) && Number.isFinite(Date.parse(t)),
    'a time with its zone, such as 2026-10-01T07:00Z (without one each machine reads it in its own zone)',
  );
const spanSchema = z
  .object({ from: time, to: time, reason: z.string().optional(), written_at: time.optional() })
  .refine((s) => Date.parse(s.from) < Date.parse(s.to), '"from" must be before "to"')
  .refine(
    (s) => s.written_at === undefined || Date.parse(s.written_at) > Date.parse(s.from),
    '"written_at" must be after "from": a skip is of hours already lost',
  );
// One span, or a list of them (told apart here: a union's error would name neither's issue).
const noteSchema = (json: unknown) =>
  Array.isArray(json)
    ? z.array(spanSchema).min(1).safeParse(json)
    : spanSchema.transform((s) => [s]).safeParse(json);

/**
 * The instance's note of hours skipped on purpose (docs/operations.md, "Resetting the
 * checkpoint"). The operator writes it beside moving the watermark on with its `repull_from_ms`,
 * after which no run goes back for the hours between: a skip they meant, which `status` names
 * instead of paging for a week. Each span covers the hours it touches (from the start of the hour
 * of `from` to the end of the hour before `to`, or of `to`'s when inside one), and only those
 * closed by its `written_at` (review STATUS6: a span with no end in time took any later loss of
 * an hour it names for the skip, months on). A `written_at` after now (`nowMs`, the hour it is
 * in; unknown: not checked) is refused: it would bound nothing.
 */
export async function readSkippedHours(
  store: ObjectStore,
  instance: string,
  nowMs?: number,
): Promise<SkippedHours | undefined> {
  const stored = await store.get(skippedHoursKey(instance));
  if (!stored) return undefined;
  try {
    const parsed = noteSchema(JSON.parse(new TextDecoder().decode(stored.body)));
    if (!parsed.success) return { unreadable: parsed.error.issues[0]?.message ?? 'not a list of spans' };
    const latestMs = nowMs === undefined ? Number.POSITIVE_INFINITY : floorHour(nowMs) + HOUR_MS;
    if (parsed.data.some((s) => s.written_at !== undefined && Date.parse(s.written_at) >= latestMs))
      return { unreadable: '"written_at" is after now' };
    return { spans: parsed.data.map((s) => spanOf(s.from, s.to, s.reason, s.written_at)) };
  } catch (error) {
    return { unreadable: errorMessage(error) };
  }
}

/** A span as read, its hours whole: see {@link SkippedSpan}. */
function spanOf(
  from: string,
  to: string,
  reason: string | undefined,
  writtenAt: string | undefined,
): SkippedSpan {
  const toMs = floorHour(Date.parse(to) + HOUR_MS - 1);
  const writtenMs = writtenAt === undefined ? undefined : floorHour(Date.parse(writtenAt));
  return {
    fromMs: floorHour(Date.parse(from)),
    toMs,
    reason: reason ?? '',
    honouredToMs: writtenMs === undefined ? toMs : Math.min(toMs, writtenMs),
    dated: writtenMs !== undefined,
  };
}

/** The span of `note` that holds `hourMs` and is honoured for it (closed by its `written_at`), if any. */
export const skippedSpanOf = (note: SkippedHours | undefined, hourMs: number): SkippedSpan | undefined =>
  note && 'spans' in note ? note.spans.find((s) => hourMs >= s.fromMs && hourMs < s.honouredToMs) : undefined;

/**
 * Whether a span of `note` names `hourMs` but is not honoured for it: the hour had not closed when
 * the span was written (`written_at`), so its loss came after the note and is no skip it records.
 */
export const namedAfterWritten = (note: SkippedHours | undefined, hourMs: number): boolean =>
  note !== undefined &&
  'spans' in note &&
  skippedSpanOf(note, hourMs) === undefined &&
  note.spans.some((s) => hourMs >= s.fromMs && hourMs < s.toMs);

/** How many spans of `note` do not say when they were written (honoured for every hour they name). */
export const undatedSpans = (note: SkippedHours | undefined): number =>
  note && 'spans' in note ? note.spans.filter((s) => !s.dated).length : 0;

/**
 * The hours of `note`'s spans, among `hoursMs` (those checked), that have a manifest now: the skip
 * is stale (the hours were re-pulled since) or wider than the hours lost, and a later real loss in
 * its span would be taken for the skip. `fromMs`/`toMs`: the first and the end of the last of them.
 * Undefined: none, or no note to read.
 */
export function skippedButCovered(
  note: SkippedHours | undefined,
  coveredHoursMs: Iterable<number>,
): { hourCount: number; fromMs: number; toMs: number } | undefined {
  let hourCount = 0;
  let fromMs = Number.POSITIVE_INFINITY;
  let toMs = Number.NEGATIVE_INFINITY;
  for (const hourMs of coveredHoursMs) {
    if (skippedSpanOf(note, hourMs) === undefined) continue;
    hourCount++;
    fromMs = Math.min(fromMs, hourMs);
    toMs = Math.max(toMs, hourMs + HOUR_MS);
  }
  return hourCount === 0 ? undefined : { hourCount, fromMs, toMs };
}

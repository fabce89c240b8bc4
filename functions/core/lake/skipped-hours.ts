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
}

/**
 * What `state/instance=<i>/skipped-hours.json` says: the spans skipped, or why it cannot be read
 * (then no hour counts as skipped: a note nobody can read must not silence a finding). Absent: none.
 */
export type SkippedHours = { spans: SkippedSpan[] } | { unreadable: string };

const time = z.string().refine((t) => Number.isFinite(Date.parse(t)), 'a time such as 2026-10-01T07:00Z');
const spanSchema = z
  .object({ from: time, to: time, reason: z.string().optional() })
  .refine((s) => Date.parse(s.from) < Date.parse(s.to), '"from" must be before "to"');
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
 * of `from` to the end of the hour before `to`, or of `to`'s when inside one).
 */
export async function readSkippedHours(
  store: ObjectStore,
  instance: string,
): Promise<SkippedHours | undefined> {
  const stored = await store.get(skippedHoursKey(instance));
  if (!stored) return undefined;
  try {
    const parsed = noteSchema(JSON.parse(new TextDecoder().decode(stored.body)));
    if (!parsed.success) return { unreadable: parsed.error.issues[0]?.message ?? 'not a list of spans' };
    return {
      spans: parsed.data.map((s) => ({
        fromMs: floorHour(Date.parse(s.from)),
        toMs: floorHour(Date.parse(s.to) + HOUR_MS - 1),
        reason: s.reason ?? '',
      })),
    };
  } catch (error) {
    return { unreadable: errorMessage(error) };
  }
}

/** The span of `note` that holds `hourMs`, if any. */
export const skippedSpanOf = (note: SkippedHours | undefined, hourMs: number): SkippedSpan | undefined =>
  note && 'spans' in note ? note.spans.find((s) => hourMs >= s.fromMs && hourMs < s.toMs) : undefined;

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

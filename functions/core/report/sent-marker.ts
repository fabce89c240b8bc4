/**
 * The sent-marker of one instance's weekly report (`reports/instance=<i>/<week>.sent.json`): the
 * record that makes mailing at most once per instance and week, whatever retries happen.
 *
 * States and what a later run for the same week does:
 * - `sending`: claimed by a run that has not finished (or crashed mid-send). Blocks: the mail may
 *   have gone out.
 * - `sent`: SES accepted the mail. Blocks.
 * - `unknown`: sending raised an error that does not prove the mail was refused (timeout, 5xx,
 *   network). Blocks: it may have been delivered.
 * - `failed`: the mail service refused it (nothing was sent). A run for this week takes the marker
 *   over with a conditional put on its ETag and sends. The schedule's runs report the last full
 *   week, so after that week has passed only a run asking for this one does.
 * A deliberate resend (`resend: true`) takes over a marker in any state, still with a conditional
 * put, so two resends racing each other still mail once.
 */
import * as z from 'zod/mini';
import { errorMessage } from '../error-message.ts';
import '../zod-english.ts';

export const SENT_MARKER_STATES = ['sending', 'sent', 'unknown', 'failed'] as const;
export type SentMarkerState = (typeof SENT_MARKER_STATES)[number];

const markerSchema = z.lazy(() =>
  z.object({
    state: z.enum(SENT_MARKER_STATES),
    instance: z.string(),
    isoWeek: z.string(),
    /** Identifies the run that wrote the marker. */
    attemptId: z.string(),
    claimedAt: z.string(),
    updatedAt: z.string(),
    subject: z.string(),
    recipients: z.number(),
    messageId: z.optional(z.string()),
    error: z.optional(z.string()),
    /**
     * The week's hours the mailed report covered, and those it has (absent on markers written
     * before 2026-12-06): what a later run compares the lake with to tell whether the week is
     * worth a correction (week-correction.ts).
     */
    coveredHours: z.optional(z.number()),
    expectedHours: z.optional(z.number()),
    /** On a correction's marker: the mail it corrects, when it went out and the hours it covered. */
    corrects: z.optional(
      z.object({ mailedAt: z.string(), coveredHours: z.number(), expectedHours: z.number() }),
    ),
  }),
);

export type SentMarker = z.infer<typeof markerSchema>;

/** States after which a run does not mail again unless asked to resend. */
export const blocksSending = (state: SentMarkerState): boolean => state !== 'failed';

export const encodeMarker = (marker: SentMarker): Uint8Array =>
  new TextEncoder().encode(`${JSON.stringify(marker, null, 2)}\n`);

/**
 * Reads a stored marker. An unreadable one is treated as `unknown` (blocking): a marker exists, so
 * some run got as far as claiming the week, and mailing twice is worse than not mailing.
 */
export function decodeMarker(body: Uint8Array, instance: string, isoWeek: string): SentMarker {
  try {
    return markerSchema.parse(JSON.parse(new TextDecoder().decode(body)));
  } catch (error) {
    const at = new Date(0).toISOString();
    return {
      state: 'unknown',
      instance,
      isoWeek,
      attemptId: 'unreadable',
      claimedAt: at,
      updatedAt: at,
      subject: '',
      recipients: 0,
      error: `the marker could not be read: ${errorMessage(error).split('\n')[0]}`,
    };
  }
}

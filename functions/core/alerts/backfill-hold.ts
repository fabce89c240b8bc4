import { INGEST_SETTINGS } from '../ingest/ingest-settings.ts';
import { HOUR_MS, MINUTE_MS } from '../time-units.ts';
import type { ChannelState } from './alert-checkpoint.ts';

/**
 * How far behind the clock a caught-up ingest's watermark may be: the end of the last hour closed
 * `settleMinutes` ago (up to the most settle allowed, plus the hour), and an hour for the alerts
 * run that follows it. Only farther behind is the ingest backfilling: with `mailOlderThanHours` 1
 * and a settle of an hour, every run of a caught-up ingest was "behind", and a summary of history
 * waited for a recent alert, unsent for as long as none came.
 */
export const CAUGHT_UP_LAG_MS = INGEST_SETTINGS.settleMinutes.max * MINUTE_MS + 2 * HOUR_MS;

/**
 * Whether a channel's message waits for the ingest's first backfill (helper BACKFILL, 2026-12-08).
 * Alerts deployed with a first backfill follow it run by run (each successful ingest run starts
 * them, and they judge the hours before its watermark), and every run that found alerts in the
 * hours just stored mailed a summary of history: a busy instance's year is 55-181 ingest runs, as
 * many mails in a day or two, each naming sprays and lockouts up to a year old. While the ingest's
 * watermark is more than `mailOlderThanHours` behind the clock, no alert can be recent; so, while it
 * is that and {@link CAUGHT_UP_LAG_MS} behind (a caught-up ingest never is), a channel
 * whose waiting alerts are all about events before alerting began keeps them (past the outbox's
 * cap they are folded into a count, so the checkpoint stays small) and mails one summary once the
 * ingest is within that. An alert about an event since alerting began (an outage's), a claim in
 * flight, or an empty outbox goes the usual way.
 */
export function holdsForBackfill(
  channel: ChannelState | undefined,
  ingestBehindMs: number,
  mailOlderThanHours: number,
): boolean {
  if (!channel || channel.sending || ingestBehindMs <= mailOlderThanHours * HOUR_MS + CAUGHT_UP_LAG_MS)
    return false;
  const folded = channel.folded;
  if ((folded?.since_alerting ?? 0) > 0) return false;
  if (channel.outbox.length === 0 && (folded?.count ?? 0) === 0) return false;
  return channel.outbox.every((alert) => alert.since_alerting !== true);
}

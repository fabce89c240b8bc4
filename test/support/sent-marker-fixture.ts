import { silentLog } from '../../functions/core/ports.ts';
import type { SentMarker } from '../../functions/core/report/sent-marker.ts';

/** acme's 2026-W47 marker in `state`, claimed by `attemptId` at the week's first scheduled run. */
export const sentMarker = (state: SentMarker['state'], attemptId = 'a-1'): SentMarker => ({
  state,
  instance: 'acme',
  isoWeek: '2026-W47',
  attemptId,
  claimedAt: '2026-11-23T07:00:00.000Z',
  updatedAt: '2026-11-23T07:00:00.000Z',
  subject: 's',
  recipients: 1,
});

/** What a claim's settle needs: a clock five minutes after the claim, and no log. */
export const settleDeps = { clock: { now: () => Date.parse('2026-11-23T07:05:00Z') }, log: silentLog };

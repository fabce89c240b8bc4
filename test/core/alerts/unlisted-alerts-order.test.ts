import { describe, expect, it } from 'vitest';
import { type Alert, alertId } from '../../../functions/core/alerts/alert.ts';
import { ARCHIVED_ALERTS } from '../../../functions/core/alerts/unlisted-alerts.ts';
import { lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { queryAlertsArchive } from '../../support/alerts-archive-table.ts';
import { trino } from '../../support/trino-grammar.ts';

const TIED_MS = Date.parse('2026-11-17T10:00:00Z');

/** A lockout of user `u<n>` at `ms`, its id that of event `e<n>`. */
const lockout = (n: number, ms: number): Alert => ({
  id: alertId('acme', 'lockout', [`e${n}`]),
  instance: 'acme',
  kind: 'lockout',
  user_id: `u${n}`,
  user_name: `User ${n}`,
  event_time: lakeTimestamp(ms),
  event_time_ms: ms,
  evidence: 'locked out',
  ip_address: '203.0.113.9',
  event_ids: [`e${n}`],
});

// Several users locked out in the same millisecond (one attack on many accounts) tie on
// event_time: the archive holds one object per alert, which Athena reads in parallel.
describe('the query that lists the archived alerts a message does not', () => {
  const tied = [1, 2, 3, 4].map((n) => lockout(n, TIED_MS));
  const newer = lockout(5, TIED_MS + 60_000);
  const query = ARCHIVED_ALERTS.howToList([...tied, newer], 'acme').copy ?? '';

  it('parses as Trino', () => {
    expect(query).toMatch(/^SELECT \* FROM alerts WHERE /);
    expect(trino.validate(query)).toEqual([]);
  });

  it('lists alerts of the same time in one order, whatever order they are stored in', async () => {
    const expected = [newer.id, ...tied.map((a) => a.id).sort()];
    const ids = async (stored: Alert[]) => (await queryAlertsArchive(query, stored)).map((r) => r.id);
    expect(await ids([...tied, newer])).toEqual(expected);
    expect(await ids([newer, ...tied].reverse())).toEqual(expected);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDbEngine } from '../../../functions/adapters/duckdb-engine.ts';
import { type Alert, alertId } from '../../../functions/core/alerts/alert.ts';
import { digQuery } from '../../../functions/core/alerts/dig-further.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { event, writeFixtureLake } from '../../queries/support/lake-fixture.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const AT = '2026-10-27 03:00:00';
const AT_MS = Date.parse('2026-10-27T03:00:00Z');
const alert: Alert = {
  id: alertId('default', 'lockout', ['e-lockout']),
  instance: 'default',
  kind: 'lockout',
  user_id: 'u1',
  user_name: 'Ann',
  event_time: lakeTimestamp(AT_MS),
  event_time_ms: AT_MS,
  evidence: 'locked out',
  ip_address: '203.0.113.7',
  event_ids: ['e-lockout'],
};

/** What the query to dig further lists, in order, over a lake holding `events` in this order. */
async function listed(events: EventRecord[]): Promise<unknown[]> {
  const dir = await mkdtemp(join(tmpdir(), 'dig-order-'));
  dirs.push(dir);
  await writeFixtureLake(dir, { events });
  const engine = await openDuckDbEngine({ lakeDir: dir });
  try {
    return (await engine.runSql(digQuery('default', [alert]), [])).rows.map((r) => r.object_name);
  } finally {
    await engine.close();
  }
}

// What a user did in one millisecond (a script viewing a page and exporting a dataset) ties on
// event_time: Athena reads the lake's files in parallel, so without a tie-break the same query
// lists them in another order from run to run, and a file of them (evidence) changes.
describe('the query to dig further', () => {
  it('lists events of the same millisecond in one order, whatever order the lake stores them in', async () => {
    const touched = (event_id: string, object_name: string) =>
      event(AT, { event_id, user_id: 'u1', user_name: 'Ann', object_name });
    // Created, and so stored, in neither the order of their ids nor its reverse.
    const events = [touched('e2', 'Salaries'), touched('e1', 'Payroll'), touched('e3', 'Bonuses')];
    const expected = ['Payroll', 'Salaries', 'Bonuses'];
    expect(await listed(events)).toEqual(expected);
    expect(await listed([...events].reverse())).toEqual(expected);
  });
});

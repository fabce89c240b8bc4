import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { event, login, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

const comcast = { ip_country: 'US', ip_asn: 7922, ip_org: 'Comcast', geo_db_version: 'g' };
const bt = { ip_country: 'GB', ip_asn: 2856, ip_org: 'British Telecommunications PLC', geo_db_version: 'g' };
const bob = { user_id: 'bob', user_name: 'Bob' };

let lake: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'query-bound-order-'));
  await writeFixtureLake(lake, {
    events: [
      // trending_cards: card c1 viewed on the period's first instant and once the week before.
      event('2026-11-16 00:00:00', { object_id: 'c1', object_name: 'C1' }),
      event('2026-11-10 00:00:00', { object_id: 'c1', object_name: 'C1' }),
      // suspicious_logins: Bob signs in from the US, then 40 minutes later from Great Britain.
      login('2026-10-28 09:00:00', 'login', { ...bob, ...comcast, ip_address: '73.9.9.9' }),
      login('2026-10-28 09:40:00', 'login', { ...bob, ...bt, ip_address: '86.130.1.1' }),
    ],
  });
});
afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
});

const now = () => Date.parse('2026-11-24T15:00:00Z');
const run = (argv: string[]) =>
  queryCommand([...argv, '--lake', lake, '--format', 'json'], { ...captureIo().io, log: silentLog }, { now });

const trending = (prevFromTs: string) =>
  run([
    'trending_cards',
    '--from',
    '2026-11-16',
    '--to',
    '2026-11-23',
    '--param',
    `prev_from_ts=${prevFromTs}`,
  ]);
const suspicious = (historyFromTs: string) =>
  run([
    'suspicious_logins',
    '--from',
    '2026-10-26',
    '--to',
    '2026-11-02',
    '--param',
    `history_from_ts=${historyFromTs}`,
  ]);

// The query reads from the start before the period: one inside it dropped the period's first rows
// (and its aligned date their days), with the asked-for period in the header.
describe('query --param with a start before the period that falls inside it', () => {
  it('refuses a prev_from_ts after from_ts, naming both and what to set', async () => {
    const refused = trending('2026-11-17 00:00:00.000');
    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toThrow(
      'prev_from_ts=2026-11-17 00:00:00.000 leaves out rows from_ts=2026-11-16 00:00:00.000 asks for (the query reads from prev_from_ts, and the previous period ends where the period starts): set prev_from_ts on or before 2026-11-16 00:00:00.000, or leave it out (one as long as the period)',
    );
    await expect(trending('2026-11-16 00:00:00.001')).rejects.toThrow(UsageError);
  });

  it('refuses a history_from_ts after from_ts, naming both and what to set', async () => {
    const refused = suspicious('2026-10-28 09:05:00.000');
    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toThrow(
      'history_from_ts=2026-10-28 09:05:00.000 leaves out rows from_ts=2026-10-26 00:00:00.000 asks for (the query reads from history_from_ts, and the history ends where the period starts): set history_from_ts on or before 2026-10-26 00:00:00.000, or leave it out (the 30 days before the period)',
    );
  });

  it('takes a start equal to from_ts: an empty window before the period, every row of the period kept', async () => {
    const cards = await trending('2026-11-16 00:00:00.000');
    expect(cards?.result.rows).toMatchObject([{ card_id: 'c1', views: 1, previous_views: 0 }]);
    const logins = await suspicious('2026-10-26 00:00:00.000');
    expect(logins?.result.rows).toMatchObject([
      { user_id: 'bob', reason: 'impossible_travel', country: 'GB' },
    ]);
  });

  it('still takes a start before the period', async () => {
    const cards = await trending('2026-11-09 00:00:00.000');
    expect(cards?.result.rows).toMatchObject([{ card_id: 'c1', views: 1, previous_views: 1 }]);
  });
});

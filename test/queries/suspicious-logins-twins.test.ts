import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { lakeTimestamp } from '../../functions/core/lake/layout.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { login, writeFixtureLake } from './support/lake-fixture.ts';

const FROM = Date.parse('2026-10-26T00:00:00Z');
const at = (ms: number) => lakeTimestamp(ms).replace('T', ' ').slice(0, 23);

// One entry stored in two hour objects an hour apart (a fall-back hour's zone-less time, docs/ingest.md)
// is two sign-ins to the query, each judged by its own hour. The query before the one-scan rewrite
// summed both copies' near-hour history under their shared event id, so each copy counted the other's.
it('two copies of one event id are each judged by their own hour', async () => {
  const geo = {
    user_id: 'u1',
    user_name: 'U',
    ip_address: '73.1.2.3',
    ip_country: 'US',
    ip_asn: 7922,
    ip_org: 'Comcast',
    geo_db_version: 'g',
  };
  const events = [];
  for (let d = 1; d <= 40; d++) events.push(login(at(FROM - d * DAY_MS + 10 * HOUR_MS), 'login', geo));
  events.push(login(at(FROM - 3 * DAY_MS + 3 * HOUR_MS), 'login', geo));
  events.push(login(at(FROM - 4 * DAY_MS + 3 * HOUR_MS), 'login', geo));
  events.push(login(at(FROM + DAY_MS + 2.5 * HOUR_MS), 'login', { ...geo, event_id: 'twin' }));
  events.push(login(at(FROM + DAY_MS + 3.5 * HOUR_MS), 'login', { ...geo, event_id: 'twin' }));
  const dir = await mkdtemp(join(tmpdir(), 'suspicious-twins-'));
  await writeFixtureLake(dir, { events });
  const engine = await openDuckDbEngine({ lakeDir: dir, threads: 1 });
  try {
    const params = standardParams({
      instance: 'default',
      fromMs: FROM,
      toMs: FROM + 7 * DAY_MS,
      historyDays: 45,
      minHistoryLogins: 10,
    });
    const rows = (await engine.run('suspicious_logins', params)).rows;
    expect(rows.map((r) => [r.reason, r.local_hour])).toEqual([
      ['unusual_hour', 2],
      ['unusual_hour', 3],
    ]);
    for (const r of rows) expect(String(r.evidence)).toContain('2 of 42 logins');
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
});

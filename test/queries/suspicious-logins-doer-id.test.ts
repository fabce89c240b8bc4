/**
 * suspicious_logins' `doer_id` (helper SUSPUSER): one user's suspicious sign-ins, for an
 * offboarding or an alert about that user, without reading everyone's rows. Each sign-in is
 * judged against the user's own history and the journey starts at their own previous sign-in, so
 * the filter changes only which rows are returned: for a user with each reason, on the simulator's
 * sign-ins, the filtered rows are that user's unfiltered rows (the same evidence, the same
 * user_reason_rows); total_rows and total_logins then count that user's rows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import type { QueryRow } from '../../functions/core/ports.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { generateInstance } from '../../functions/simulator/index.ts';
import { placedLoginRecords, writeDailyLake } from './support/placed-login-lake.ts';

const lakeFrom = Date.parse('2026-09-28T00:00:00Z');
const weekFrom = Date.parse('2026-10-26T00:00:00Z');
const weekTo = Date.parse('2026-11-02T00:00:00Z');
const params = standardParams({ instance: 'default', fromMs: weekFrom, toMs: weekTo });
const REASONS = ['new_country', 'new_network', 'impossible_travel', 'unusual_hour'];

let dir: string;
let engine: DuckDbQueryEngine;
let all: QueryRow[];

const run = async (values: Record<string, string>): Promise<QueryRow[]> =>
  (await engine.run('suspicious_logins', { ...params, ...values })).rows;

/** A row without the totals, which count the rows returned. */
const judged = ({ total_rows: _rows, total_logins: _logins, ...row }: QueryRow) => row;

beforeAll(async () => {
  const instance = generateInstance({
    seed: 12,
    fromMs: lakeFrom,
    toMs: weekTo,
    users: 200,
    eventsPerUserDay: 0,
    cards: 10,
    pages: 6,
    trips: 4,
    takeovers: 4,
  });
  dir = await mkdtemp(join(tmpdir(), 'suspicious-doer-'));
  await writeDailyLake(dir, placedLoginRecords(instance));
  engine = await openDuckDbEngine({ lakeDir: dir });
  all = await run({});
}, 60_000);

afterAll(async () => {
  await engine?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('suspicious_logins takes one user (doer_id)', () => {
  it('lists, for each user with a finding (each reason), their unfiltered rows with their evidence', async () => {
    expect(new Set(all.map((r) => r.reason))).toEqual(new Set(REASONS));
    // Every user with a finding: the users of each reason among them.
    for (const id of new Set(all.map((r) => r.user_id as string))) {
      const mine = all.filter((r) => r.user_id === id);
      const rows = await run({ doer_id: id });
      expect(rows.map(judged), `user ${id}`).toEqual(mine.map(judged));
      // The totals count that user's rows, and logins (a time, a user and an address).
      const logins = new Set(rows.map((r) => `${r.event_time} ${r.ip_address}`));
      expect(rows.every((r) => r.total_rows === rows.length && r.total_logins === logins.size)).toBe(true);
    }
  });

  it("keeps the user's rows a cut of everyone's at max_rows leaves out", async () => {
    const id = all.find((r) => r.user_id !== all[0]?.user_id)?.user_id as string;
    const mine = all.filter((r) => r.user_id === id);
    const cut = await run({ max_rows: '1' });
    expect(cut.some((r) => r.user_id === id)).toBe(false);
    const rows = await run({ doer_id: id, max_rows: '1' });
    expect(rows.map(judged)).toEqual(mine.slice(0, 1).map(judged));
    expect(rows[0]?.total_rows).toBe(mine.length);
  });

  it('lists nothing for a user without a finding, or no user', async () => {
    expect(await run({ doer_id: '99999999' })).toEqual([]);
    expect(await run({ doer_id: '' })).toEqual(all);
  });
});

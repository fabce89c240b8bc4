import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchQueries } from '../../bench/query-bench.ts';
import { DEFAULT_INSTANCE } from '../../functions/cli/lake-target.ts';
import { QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { event, writeFixtureLake } from '../queries/support/lake-fixture.ts';

/**
 * `npm run bench` times every catalog query: one that needs a parameter the period does not give
 * (user_activity's user id, address_activity's address) stopped the whole bench when it was
 * added, and only a full bench run would have said so.
 */
describe('the DuckDB query bench', () => {
  it('runs every catalog query, user_activity on the busiest user, address_activity on the busiest address', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'query-bench-'));
    try {
      await writeFixtureLake(dir, {
        instance: DEFAULT_INSTANCE,
        events: [
          event('2026-10-05 10:20:00', { user_id: '7', ip_address: '81.2.69.142' }),
          event('2026-10-05 10:21:00', { user_id: '42', ip_address: '81.2.69.142:50123' }),
          event('2026-10-05 10:22:00', { user_id: '42', ip_address: '81.2.69.160' }),
          event('2026-10-05 10:23:00', { user_id: '43', ip_address: '81.2.69.142' }),
        ],
      });
      const figures = await benchQueries(dir, Date.parse('2026-10-05T00:00:00Z'), 1, 1);
      expect(figures.map((f) => f.query)).toEqual([...QUERY_NAMES]);
      expect(figures.find((f) => f.query === 'user_activity')?.rows).toBe(2);
      expect(figures.find((f) => f.query === 'address_activity')?.rows).toBe(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

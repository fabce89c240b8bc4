import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { unboundedScanLine } from '../../functions/cli/unbounded-scan.ts';
import { event, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

// On Athena a lake table read with no dt condition scans every day stored (review R-ANALYST3 L2).
describe('unboundedScanLine', () => {
  it('warns of a lake table read with no condition on dt', () => {
    for (const sql of [
      'SELECT count(*) FROM activity_log',
      "SELECT count(*) FROM activity_log WHERE instance = 'main' AND event_time >= TIMESTAMP '2026-11-27 00:00:00'",
      "SELECT * FROM domo_activity_lake.quarantine -- WHERE dt = '2026-11-27'",
      "SELECT a.user_id FROM coverage c JOIN activity_log a ON a.window_start_ms = c.window_start_ms WHERE a.object_name = 'dt = 1'",
      // A function of dt skips files locally, but is no condition this reads (docs/queries.md, Which
      // conditions skip files, says to write dt LIKE instead).
      "SELECT count(*) FROM activity_log WHERE substr(dt, 1, 7) = '2026-11'",
    ]) {
      expect(unboundedScanLine(sql), sql).toMatch(
        /^note: your SQL reads [a-z_, ]+ with no condition on dt: on Athena/,
      );
    }
    expect(unboundedScanLine('SELECT 1 FROM coverage c JOIN activity_log a ON true')).toMatch(
      /reads coverage, activity_log with no condition on dt/,
    );
  });

  it('says nothing when some dt condition is there, or no lake table is read', () => {
    for (const sql of [
      "SELECT count(*) FROM activity_log WHERE dt = '2026-11-27'",
      "SELECT count(*) FROM activity_log a WHERE a.dt BETWEEN '2026-11-23' AND '2026-11-29'",
      "SELECT count(*) FROM activity_log WHERE dt IN ('2026-11-27', '2026-11-28')",
      "SELECT count(*) FROM activity_log WHERE '2026-11-27' <= dt",
      "SELECT count(*) FROM coverage WHERE dt LIKE '2026-11-%'",
      'EXPLAIN SELECT count(*) FROM activity_log',
      "SELECT 'FROM activity_log' AS text, 1/2",
      'SELECT 1',
    ]) {
      expect(unboundedScanLine(sql), sql).toBe('');
    }
  });
});

describe('query --sql', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'unbounded-scan-'));
    await writeFixtureLake(join(dir, 'lake'), { events: [event('2026-10-05 10:00:00')] });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('warns on stderr of a read with no dt condition, and runs it all the same', async () => {
    const { io, stdout, stderr } = captureIo();
    const sql = 'SELECT count(*) AS n FROM activity_log';
    expect(await main(['query', '--lake', join(dir, 'lake'), '--sql', sql, '--format', 'csv'], io)).toBe(0);
    expect(stdout()).toBe('n\r\n1\r\n');
    expect(stderr()).toMatch(/^note: your SQL reads activity_log with no condition on dt/);
  });
});

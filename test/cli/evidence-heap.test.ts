/**
 * `evidence` of more events than node's heap holds: the lines go to the bundle an hour at a time,
 * never all at once. Run as a child process in a small heap, where the bundle held in memory died
 * of V8's "JavaScript heap out of memory" (signal 6).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { runNodeChild } from '../support/node-child.ts';

const H0 = Date.parse('2026-11-01T00:00:00Z');
const HOURS = 24;
const LINES_AN_HOUR = 500;
/** 24 hours of 500 lines of ~4 KB: ~48 MB of lines, in a heap of 40 MB. */
const PAD = 'x'.repeat(4_000);
/**
 * The old space alone: Node 24 sizes the young generation from the machine, so its heap limit
 * here is ~243 MB (Node 20: ~92 MB), and query's byte bound, read from that limit, let a user's
 * rows through that Node 20 refused; it reads the old space's 40 MiB on both (run-memory.ts).
 */
const SMALL_HEAP = ['--max-old-space-size=40'];

let dir: string;
let lake: string;
let expected: { bytes: number; sha256: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evidence-heap-'));
  lake = join(dir, 'lake');
  const hash = createHash('sha256');
  let bytes = 0;
  for (let hour = 0; hour < HOURS; hour++) {
    const startMs = H0 + hour * HOUR_MS;
    const lines = Array.from({ length: LINES_AN_HOUR }, (_, i) =>
      JSON.stringify({
        event_id: `e-${hour}-${i}`,
        event_time: new Date(startMs + i * 1_000).toISOString().replace('T', ' ').slice(0, 23),
        event_time_ms: startMs + i * 1_000,
        user_id: String(1000 + (i % 7)),
        actor_id: '0',
        object_type: 'PAGE',
        object_id: '1',
        event_text: PAD,
      }),
    );
    const text = lines.map((line) => `${line}\n`).join('');
    hash.update(text);
    bytes += Buffer.byteLength(text);
    const key = join(lake, activityKey('main', startMs));
    mkdirSync(dirname(key), { recursive: true });
    writeFileSync(key, gzipSync(text, { level: 1 }));
  }
  expected = { bytes, sha256: hash.digest('hex') };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `evidence` of the lake's day 2026-11-01 into `out`, in a child process of the small heap. */
const evidenceInSmallHeap = (out: string, extra: string[] = []) =>
  runNodeChild([
    ...SMALL_HEAP,
    resolve('bin/domo-activity-lake.js'),
    'evidence',
    '--lake',
    lake,
    '--from',
    '2026-11-01',
    '--to',
    '2026-11-02',
    ...extra,
    '--out',
    out,
  ]);

describe('evidence of more lines than the heap holds', () => {
  it('writes them all, each hour as it is read, in a heap smaller than they are', async () => {
    const out = join(dir, 'bundle');
    const { exit, out: stdout, err } = await evidenceInSmallHeap(out);
    expect(err).not.toMatch(/heap out of memory/);
    // The lake has no digest chain, so its check fails: the bundle is written all the same.
    expect(exit, err).toEqual({ code: 1, signal: null });
    expect(err).toContain("the lake's check of the period found problems");
    expect(stdout).toContain(`events: ${HOURS * LINES_AN_HOUR} event(s) in ${HOURS} of ${HOURS} hour(s)`);
    expect(expected.bytes).toBeGreaterThan(45_000_000);
    const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8');
    expect(sums).toContain(`${expected.sha256}  events.ndjson\n`);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.files).toContainEqual({ path: 'events.ndjson', ...expected });
  }, 120_000);

  it("refuses a user's rows that do not fit, naming the halves of the period to bundle instead", async () => {
    const out = join(dir, 'user-bundle');
    const { exit, err } = await evidenceInSmallHeap(out, ['--user', '1000']);
    expect(err).not.toMatch(/heap out of memory/);
    expect(exit, err).toEqual({ code: 1, signal: null });
    expect(err).toContain(
      "the rows of user 1000 over 2026-11-01T00:00:00.000Z .. 2026-11-02T00:00:00.000Z do not fit node's heap",
    );
    expect(err).toContain(
      'the halves are --from 2026-11-01T00:00:00.000Z --to 2026-11-01T12:00:00.000Z and --from 2026-11-01T12:00:00.000Z --to 2026-11-02T00:00:00.000Z',
    );
    // Not query's advice: a lower max_rows would cut the rows the bundle compares with its lines.
    expect(err).not.toContain('max_rows');
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});

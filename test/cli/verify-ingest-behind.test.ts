import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { checkpointKey } from '../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { ingestSixHours, SIX_HOURS_DAY0 } from '../support/six-hours-ingest.ts';

// Review F-VERIFY2 1: a stalled ingest passed the routine check with only its watermark printed,
// and a --from past the watermark passed "0 of 0" hours. The lake's watermark is 05:00.

const watermarkMs = SIX_HOURS_DAY0 + 5 * HOUR_MS;
let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-ingest-behind-'));
  lake = join(dir, 'lake');
  await ingestSixHours(new FsObjectStore(lake));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function verify(nowMs: number, ...more: string[]) {
  const io = captureIo();
  const args = ['verify', '--lake', lake, '--instance', 'acme', ...more];
  const code = await main(args, { ...io.io, clock: { now: () => nowMs } });
  return { code, stdout: io.stdout() };
}

const stalledAt = watermarkMs + (3 * 24 + 4) * HOUR_MS;
const LATE_NOTE =
  "  note: the watermark is 3d 04h behind this machine's clock, over the 3 h lag threshold: no ingest has pulled an hour from 2026-10-01 05:00Z on (see status); the hours from it on are not checked";
const LATE_CAVEAT =
  'the watermark is 3d 04h behind: the hours from 2026-10-01 05:00Z on, which no ingest has pulled, are not checked';

describe('verify of a lake whose ingest stopped', () => {
  it('says the watermark is late, in a note, the JSON and the OK, and still passes', async () => {
    const text = await verify(stalledAt);
    expect(text.code, text.stdout).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[lines.indexOf('  watermark: 2026-10-01 05:00Z') + 1]).toBe(LATE_NOTE);
    expect(lines.at(-2)).toBe(`  OK (${LATE_CAVEAT})`);
    const json = JSON.parse((await verify(stalledAt, '--json')).stdout);
    expect(json.ingestBehind).toEqual({
      watermarkMs,
      behindMs: stalledAt - watermarkMs,
      lagHours: 3,
      late: true,
      rangeAfterWatermark: false,
    });
    expect(json.check.result).toBe('OK');
    expect(json.check.caveats).toEqual([LATE_CAVEAT]);
  });

  it('says it for --from alone too, and not for a range given its end', async () => {
    const from = await verify(stalledAt, '--from', '2026-10-01T02:00:00Z');
    expect(from.stdout).toContain(LATE_NOTE);
    const ranged = await verify(stalledAt, '--from', '2026-10-01T02:00:00Z', '--to', '2026-10-01T04:00:00Z');
    expect(ranged.code, ranged.stdout).toBe(0);
    expect(ranged.stdout).not.toContain('note: the watermark');
  });

  it('says a --from past the watermark holds no hour the ingest pulled', async () => {
    const text = await verify(stalledAt, '--from', '2026-10-02T00:00:00Z');
    expect(text.code, text.stdout).toBe(0);
    expect(text.stdout).toContain(
      '  note: the range starts at or after the watermark (2026-10-01 05:00Z): the ingest has not reached it, so the range holds no hour it pulled\n',
    );
    expect(text.stdout).toContain(
      'OK (the watermark is 3d 04h behind: the hours from 2026-10-01 05:00Z on, which no ingest has pulled, are not checked; the range starts at or after the watermark: no hour of it was pulled)',
    );
  });

  it("takes status's --lag-hours, named in the header", async () => {
    const json = JSON.parse((await verify(stalledAt, '--lag-hours', '100', '--json')).stdout);
    expect(json.ingestBehind).toBeUndefined();
    expect(json.check.options.lagHours).toBe('100');
    const text = await verify(stalledAt, '--lag-hours', '75');
    expect(text.stdout).toContain('over the 75 h lag threshold');
    expect(text.stdout).toContain('  options: --lag-hours 75\n');
    expect((await verify(stalledAt, '--lag-hours', '0')).code).toBe(2);
  });

  it('says nothing within the lag threshold', async () => {
    const text = await verify(watermarkMs + 3 * HOUR_MS, '--json');
    const json = JSON.parse(text.stdout);
    expect(json.ingestBehind).toBeUndefined();
    expect(json.check.caveats).toBeUndefined();
  });

  it('calls hours past the watermark that a re-pull stored checked, not unchecked', async () => {
    // Review R-SECOND5 L2: the watermark stuck at 02:00, the hours to 05:00 stored by a re-pull.
    const stuck = join(dir, 'stuck');
    await cp(lake, stuck, { recursive: true });
    const key = join(stuck, checkpointKey('acme'));
    const checkpoint = JSON.parse(await readFile(key, 'utf8'));
    const stuckMs = SIX_HOURS_DAY0 + 2 * HOUR_MS;
    const watermark = new Date(stuckMs).toISOString();
    await writeFile(key, JSON.stringify({ ...checkpoint, watermark_ms: stuckMs, watermark }));
    const io = captureIo();
    const args = ['verify', '--lake', stuck, '--instance', 'acme'];
    const code = await main(args, { ...io.io, clock: { now: () => stalledAt } });
    expect(code, io.stdout()).toBe(0);
    expect(io.stdout()).toContain(
      'the scheduled ingest has pulled no hour from 2026-10-01 02:00Z on (see status); the 3 hours past it that a re-pull stored (to 2026-10-01 05:00Z) were checked, the hours from 2026-10-01 05:00Z on are not',
    );
    expect(io.stdout()).toContain(
      'the scheduled ingest has not reached the 3 hours past it that a re-pull stored (to 2026-10-01 05:00Z), which were checked; the hours from 2026-10-01 05:00Z on are not)',
    );
    expect(io.stdout()).not.toContain('02:00Z on, which no ingest has pulled, are not checked');
  });
});

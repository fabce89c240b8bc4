import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unusedBackfillNote } from '../../functions/cli/commands/ingest.ts';
import { main } from '../../functions/cli/main.ts';
import type { IngestSummary } from '../../functions/core/ingest/ingest-types.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';

// Review R-SFC4 (stop 53): an `ingest --backfill-days 11` that started a moment after another
// ingest wrote the lake's first checkpoint continued from it, pulled 5 days, and said nothing of
// the 11 asked for.

const run = (mode: 'checkpoint' | 'range', watermarkBeforeMs: number | null) =>
  ({ mode, watermarkBeforeMs }) as unknown as IngestSummary;
const WATERMARK = Date.parse('2026-11-28T22:00:00Z');

describe('the note on --backfill-days a run did not use', () => {
  it('is given when the lake had a checkpoint, naming its watermark and the way to older hours', () => {
    expect(unusedBackfillNote(run('checkpoint', WATERMARK), '11', 120)).toEqual([
      'note: --backfill-days 11 was not used: it sets how far a first run reaches back, and this lake had a checkpoint (watermark 2026-11-28 22:00 UTC), so the run continued from it; to pull older hours, use --from/--to',
    ]);
  });

  it('is not given to a first run, without the option, or to a range run', () => {
    expect(unusedBackfillNote(run('checkpoint', null), '11', undefined)).toEqual([]);
    expect(unusedBackfillNote(run('checkpoint', WATERMARK), undefined, undefined)).toEqual([]);
    expect(unusedBackfillNote(run('range', null), '11', undefined)).toEqual([]);
  });

  it('is not given when the lake holds every hour the days reach, up to its watermark', () => {
    // Review R-OPS: the same command resuming a first run it stopped (Ctrl-C, --max-duration).
    expect(unusedBackfillNote(run('checkpoint', WATERMARK), '61', 0)).toEqual([]);
  });
});

describe('ingest --backfill-days on a lake with a checkpoint', () => {
  const fromMs = Date.parse('2026-10-01T00:00:00Z');
  const toMs = Date.parse('2026-10-05T00:00:00Z');
  let sim: Simulator;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-backfill-note-'));
    sim = await startSimulator({
      events: generateInstance({ seed: 5, fromMs, toMs, users: 2, eventsPerUserDay: 5 }).events,
      clients: [{ clientId: 'id', clientSecret: 'secret', scopes: ['audit'] }],
      clock: clockFrom(toMs).now,
    });
  });
  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** `ingest --backfill-days <days>` into `lake`, its "now" `nowMs`: what it prints. */
  async function ingest(lake: string, days: string, nowMs: number): Promise<string> {
    const { io, stdout, stderr } = captureIoAt(clockFrom(nowMs), {
      DOMO_CLIENT_ID: 'id',
      DOMO_CLIENT_SECRET: 'secret',
    });
    const args = ['ingest', '--lake', lake, '--api-base', sim.url, '--backfill-days', days];
    expect(await main([...args, '--requests-per-second', '1000'], io), stderr()).toBe(0);
    return stdout() + stderr();
  }

  it('says nothing when run again as it was (a first run resumed), and names days the lake lacks', async () => {
    const lake = join(dir, 'lake');
    expect(await ingest(lake, '2', toMs)).not.toContain('--backfill-days 2 was not used');
    // The same command an hour later continues from the checkpoint: the hours its two days reach
    // are all in the lake, as when it resumes a first run stopped by Ctrl-C or --max-duration.
    expect(await ingest(lake, '2', toMs + HOUR_MS)).not.toContain('was not used');
    // Three days reach a day before the lake's first hour: those were not pulled.
    expect(await ingest(lake, '3', toMs + 2 * HOUR_MS)).toContain('note: --backfill-days 3 was not used');
  }, 60_000);
});

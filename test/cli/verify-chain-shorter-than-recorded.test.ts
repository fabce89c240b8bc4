import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';
import { quietIngestDeps } from '../support/quiet-ingest-deps.ts';
import { statusAt } from '../support/status-at.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const SECOND_RUN = day0 + 8 * HOUR_MS + 1;

/** A scheduled run of instance `acme`, recorded in the lake's run record as the command records it. */
async function recordedRunAt(lake: string, nowMs: number) {
  const source = new MemoryAuditSource(
    Array.from({ length: 16 }, (_, i) => viewEntry(day0 + i * 30 * 60_000, i)),
  );
  const store = new FsObjectStore(lake);
  const summary = await runIngest(quietIngestDeps(source, store, nowMs), {
    ...defaultIngestConfig('acme'),
    backfillDays: 1,
  });
  await recordLastRun(store, summary, nowMs);
}

async function verify(lake: string, ...options: string[]) {
  const io = captureIo();
  const argv = ['verify', '--lake', lake, '--instance', 'acme', '--integrity', ...options];
  const code = await main(argv, io.io);
  return { code, stdout: io.stdout() };
}

let dir: string;
let lake: string;
let recorded: number;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chain-shorter-'));
  lake = join(dir, 'lake');
  await recordedRunAt(lake, day0 + 6 * HOUR_MS + 1);
  await recordedRunAt(lake, SECOND_RUN);
  const record = JSON.parse(await readFile(join(lake, 'state/instance=acme/last-run.json'), 'utf8'));
  recorded = record.digest_head;
  // The insider removes the last run's seal alone: the run now reads as one that died before it.
  const names = (await readdir(join(lake, 'digest/instance=acme'))).sort();
  expect(names.at(-1)).toBe(`${String(recorded).padStart(10, '0')}.json`);
  await rm(join(lake, 'digest/instance=acme', names.at(-1) as string));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe("the last run's seal removed (review R-AUDITOR M1)", () => {
  it('fails verify --integrity with chain-shorter-than-recorded, and advises no ingest', async () => {
    const { code, stdout } = await verify(lake);
    expect(code, stdout).toBe(1);
    const flat = stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('chain-shorter-than-recorded');
    expect(flat).toContain(`with the chain at digest ${recorded}; the chain ends at digest ${recorded - 1}`);
    // The advice that would erase the trace is not given beside it.
    expect(flat).not.toContain('Once it has ended, run an ingest');
    expect(flat).toContain('its seal may be what was removed');
  });

  it('status says CUT, without making up why the run left its seal open', async () => {
    const { status, table } = await statusAt(new FsObjectStore(lake), 'acme', SECOND_RUN + 10 * 60_000);
    expect(status.chainShorter).toMatchObject({ recorded, endsAt: recorded - 1, outcome: 'ok' });
    expect(table).toContain('CUT');
    expect(table).toContain(
      `with the digest chain at digest ${recorded}, but the chain ends at digest ${recorded - 1}`,
    );
    expect(table).not.toContain('ran out of time or failed');
  });
});

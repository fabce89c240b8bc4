import { describe, expect, it } from 'vitest';
import type { AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { advanceCheckpoint, readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { InstanceMismatchError } from '../../../functions/core/lake/instance-mismatch-error.ts';
import { at, config, hour, hourly, sixAnHour } from '../../support/lookback-day.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { recordingLog } from '../../support/recording-log.ts';

/** A Domo whose tokens name `customer` (undefined: its answers name none). */
class CustomerSource extends MemoryAuditSource implements AuditSource {
  constructor(public named: string | undefined) {
    super(sixAnHour(12));
  }
  customer(): string | undefined {
    return this.named;
  }
}

/** Every object of the lake but its run records, by key: what a refused run must leave as it is. */
const contents = (store: MemoryObjectStore): Map<string, string> =>
  new Map(
    [...store.objects]
      .filter(([key]) => !key.startsWith('state/') || key.endsWith('checkpoint.json'))
      .map(([key, object]) => [key, Buffer.from(object.body).toString('base64')]),
  );

const run = (source: AuditSource, store: MemoryObjectStore, h: number, log = recordingLog().log) =>
  runIngest({ ...quietIngestDeps(source, store, at(h)), log }, config, hourly);

describe('a lake tied to the Domo instance it was filled from', () => {
  it('records the customer of the first run and goes on with the same customer', async () => {
    const store = new MemoryObjectStore();
    const source = new CustomerSource('acme-co');
    expect((await run(source, store, 4)).outcome).toBe('complete');
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.customer).toBe('acme-co');
    const second = await run(source, store, 7);
    expect(second.outcome).toBe('complete');
    expect(second.watermarkAfterMs).toBe(hour(7));
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.customer).toBe('acme-co');
  });

  it('refuses credentials of another customer: nothing stored, the checkpoint unchanged', async () => {
    const store = new MemoryObjectStore();
    await run(new CustomerSource('acme-co'), store, 4);
    const before = contents(store);
    const checkpoint = await readCheckpoint(store, 'acme');
    const other = new CustomerSource('other-co');
    for (const refused of [
      await run(other, store, 9),
      await runIngest(quietIngestDeps(other, store, at(9)), config, {
        ...hourly,
        range: { fromMs: hour(0), toMs: hour(4) },
      }),
    ]) {
      expect(refused.outcome).toBe('failed');
      expect(refused.eventsWritten).toBe(0);
      expect(refused.failures[0]?.configuration).toBe(true);
      expect(refused.failures[0]?.message).toContain(
        'instance "acme" of this lake was filled from Domo customer "acme-co", but these credentials are for Domo customer "other-co"',
      );
    }
    expect(contents(store)).toEqual(before);
    expect((await readCheckpoint(store, 'acme'))?.etag).toBe(checkpoint?.etag);
  });

  it('has a checkpoint written before customers were recorded take the next run’s, and says so', async () => {
    const store = new MemoryObjectStore();
    await advanceCheckpoint(store, 'acme', {
      watermarkMs: hour(4),
      runId: 'old',
      codeVersion: 'old',
      now: at(4),
    });
    const { log, logged } = recordingLog();
    expect((await run(new CustomerSource('acme-co'), store, 6, log)).outcome).toBe('complete');
    expect((await readCheckpoint(store, 'acme'))?.checkpoint).toMatchObject({
      customer: 'acme-co',
      watermark_ms: hour(6),
    });
    expect(logged).toContainEqual([
      'info',
      expect.stringContaining('The checkpoint names no Domo customer'),
      { instance: 'acme', customer: 'acme-co' },
    ]);
    expect((await run(new CustomerSource('other-co'), store, 8)).outcome).toBe('failed');
  });

  it('runs on a token answer naming no customer, warned once, and records none', async () => {
    const store = new MemoryObjectStore();
    const { log, logged } = recordingLog();
    expect((await run(new CustomerSource(undefined), store, 6, log)).outcome).toBe('complete');
    const warned = logged.filter(
      (line) => Array.isArray(line) && line[0] === 'warn' && String(line[1]).includes('names no customer'),
    );
    expect(warned).toHaveLength(1);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.customer).toBeUndefined();
  });

  it('refuses a checkpoint write that would replace a customer another run recorded meanwhile', async () => {
    const store = new MemoryObjectStore();
    const first = { runId: 'a', codeVersion: 't', now: at(4), customer: 'acme-co' };
    await advanceCheckpoint(store, 'acme', { ...first, watermarkMs: hour(4) });
    await expect(
      advanceCheckpoint(store, 'acme', { ...first, watermarkMs: hour(5), customer: 'other-co' }),
    ).rejects.toThrow(InstanceMismatchError);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms).toBe(hour(4));
  });
});

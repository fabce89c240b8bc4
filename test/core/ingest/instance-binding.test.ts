import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { MAX_CUSTOMER_CHARS } from '../../../functions/core/domo/token-provider.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { bindCustomer } from '../../../functions/core/lake/customer-binding.ts';
import { customerBindingKey, digestPrefix } from '../../../functions/core/lake/layout.ts';
import { type ObjectStore, PreconditionFailedError, type PutOptions } from '../../../functions/core/ports.ts';
import { at, config, day0, hour, hourly } from '../../support/lookback-day.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { recordingLog } from '../../support/recording-log.ts';

const BINDING = customerBindingKey('acme');

/** Six entries an hour for twelve hours, their user names marked with `mark` (whose they are). */
const entriesOf = (mark: string) =>
  Array.from({ length: 72 }, (_, i) => {
    const entry = viewEntry(day0 + i * 10 * 60_000, i);
    (entry.entry as Record<string, unknown>).userName = `${mark} ${i}`;
    return entry;
  });

/** A Domo whose tokens name `named` (undefined: its answers name none). */
class CustomerSource extends MemoryAuditSource implements AuditSource {
  constructor(
    public named: string | undefined,
    mark = 'AAA',
  ) {
    super(entriesOf(mark));
  }
  customer(): string | undefined {
    return this.named;
  }
}

/** A Domo with no activity at all, whose tokens name `named`; `queries` are the pages asked. */
class QuietDomo extends MemoryAuditSource implements AuditSource {
  constructor(public named: string) {
    super([]);
  }
  customer(): string {
    return this.named;
  }
}

/** A Domo whose token is renewed after its first page, naming `next`. */
const renamed = (first: string, next: string): AuditSource => {
  const domo = new CustomerSource(first);
  let served = 0;
  return {
    fetchPage: (query: AuditQuery) => domo.fetchPage(query),
    customer: () => {
      served += 1;
      return served > 1 ? next : first;
    },
  };
};

/** How many events of `mark` the lake's activity log holds. */
const storedOf = (store: MemoryObjectStore, mark: string): number => {
  let n = 0;
  for (const [key, object] of store.objects) {
    if (!key.startsWith('activity_log/')) continue;
    n += gunzipSync(Buffer.from(object.body)).toString().split(`"${mark} `).length - 1;
  }
  return n;
};

const activityKeys = (store: MemoryObjectStore) =>
  [...store.objects.keys()].filter((k) => k.startsWith('activity_log/'));

const run = (source: AuditSource, store: MemoryObjectStore, h: number, log = recordingLog().log) =>
  runIngest({ ...quietIngestDeps(source, store, at(h)), log }, config, hourly);

const range = (source: AuditSource, store: MemoryObjectStore) =>
  runIngest(quietIngestDeps(source, store, at(9)), config, {
    ...hourly,
    range: { fromMs: hour(0), toMs: hour(4) },
  });

/** A store that records the keys put, in order; the binding's creation is slow, so a run that did not wait for it would store entries first. */
class RecordingStore extends MemoryObjectStore {
  readonly putKeys: string[] = [];
  override async put(key: string, body: Uint8Array, options?: PutOptions) {
    if (key === BINDING) await new Promise((resolve) => setTimeout(resolve, 50));
    this.putKeys.push(key);
    return super.put(key, body, options);
  }
}

/** A store that holds the binding's creation until two runs both try it: both read none first. */
class RacingStore extends MemoryObjectStore {
  private readonly held: (() => void)[] = [];
  override async put(key: string, body: Uint8Array, options?: PutOptions) {
    if (key === BINDING && options?.ifNoneMatch === '*') {
      await new Promise<void>((resolve) => {
        this.held.push(resolve);
        if (this.held.length === 2) for (const release of this.held) release();
      });
    }
    return super.put(key, body, options);
  }
}

/** A store whose first read of the binding fails (past the SDK's retries); `failed` says when. */
class FailingReadStore extends MemoryObjectStore {
  private failedOnce = false;
  private tell: () => void = () => {};
  readonly failed = new Promise<void>((resolve) => {
    this.tell = resolve;
  });
  override async get(key: string) {
    if (key === BINDING && !this.failedOnce) {
      this.failedOnce = true;
      this.tell();
      throw new Error('S3 GetObject 503 SlowDown');
    }
    return super.get(key);
  }
}

/** A store that counts the reads of the binding; `read` says when the first is answered. */
class ReadCountingStore extends MemoryObjectStore {
  reads = 0;
  private tell: () => void = () => {};
  readonly read = new Promise<void>((resolve) => {
    this.tell = resolve;
  });
  override async get(key: string) {
    if (key !== BINDING) return super.get(key);
    this.reads += 1;
    const found = await super.get(key);
    this.tell();
    return found;
  }
}

/** A Domo whose pages after the first are served only once `after` has settled, and a tick later. */
const servedAfter = (after: Promise<void>): AuditSource => {
  const domo = new CustomerSource('acme-co');
  let first = true;
  return {
    fetchPage: async (query: AuditQuery) => {
      if (!first) {
        await after;
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      first = false;
      return domo.fetchPage(query);
    },
    customer: () => domo.customer(),
  };
};

/**
 * A store that answers the binding's create-only put `conflicts` times as a lost race while another
 * put of the key is in flight, storing nothing (the S3 store waits S3's 409 out itself:
 * test/adapters/s3-store-put-in-flight.test.ts).
 */
class ConflictingStore extends MemoryObjectStore {
  constructor(public conflicts: number) {
    super();
  }
  override async put(key: string, body: Uint8Array, options?: PutOptions) {
    if (key === BINDING && this.conflicts > 0) {
      this.conflicts -= 1;
      throw new PreconditionFailedError(key);
    }
    return super.put(key, body, options);
  }
}

/** A lake on S3, as far as the messages it gives rise to go. */
class S3LikeStore extends MemoryObjectStore {
  override readonly location = 's3://lake/';
}

const record = { instance: 'acme', customer: 'acme-co', runId: 'run-1', now: day0 };

/**
 * The customer the lake records for acme, read as the ingest reads it: bindCustomer returns a
 * recorded binding unchanged, writing nothing (had none been there, it would say "none-recorded").
 */
const boundCustomer = async (store: ObjectStore): Promise<string> =>
  (await bindCustomer(store, { ...record, customer: 'none-recorded' })).customer;

/** A binding object as a run writes it, with `fields` changed. */
const bindingObject = (fields: Record<string, unknown>) =>
  new TextEncoder().encode(
    JSON.stringify({
      version: 1,
      instance: 'acme',
      customer: 'acme-co',
      recorded_at: '2026-01-01T00:00:00.000Z',
      run_id: 'r',
      ...fields,
    }),
  );

describe('a lake bound to the Domo instance it is filled from', () => {
  it('binds a fresh lake to the first run’s customer before it stores any entry', async () => {
    const store = new RecordingStore();
    const { log, logged } = recordingLog();
    expect((await run(new CustomerSource('acme-co'), store, 4, log)).outcome).toBe('complete');
    expect(await boundCustomer(store)).toBe('acme-co');
    const bound = store.putKeys.indexOf(BINDING);
    const firstEntry = store.putKeys.findIndex((key) => key.startsWith('activity_log/'));
    expect(bound).toBeGreaterThanOrEqual(0);
    expect(firstEntry).toBeGreaterThan(bound);
    expect(logged).toContainEqual([
      'info',
      expect.stringContaining('is bound to'),
      { instance: 'acme', customer: 'acme-co' },
    ]);
    expect((await run(new CustomerSource('acme-co'), store, 7)).outcome).toBe('complete');
  });

  it('refuses credentials of another customer, scheduled or range: nothing stored', async () => {
    const store = new MemoryObjectStore();
    await run(new CustomerSource('acme-co'), store, 4);
    const before = activityKeys(store);
    for (const refused of [
      await run(new CustomerSource('other-co', 'BBB'), store, 9),
      await range(new CustomerSource('other-co', 'BBB'), store),
    ]) {
      expect(refused.outcome).toBe('failed');
      expect(refused.eventsWritten).toBe(0);
      expect(refused.failures[0]?.configuration).toBe(true);
      expect(refused.failures[0]?.message).toContain(
        'instance "acme" of this lake was filled from Domo customer "acme-co", but these credentials are for Domo customer "other-co": none of their events was stored',
      );
    }
    expect(activityKeys(store)).toEqual(before);
    expect(storedOf(store, 'BBB')).toBe(0);
  });

  it('stores one customer’s events of two first runs racing on a fresh lake; the other stores none', async () => {
    const store = new RacingStore();
    const [a, b] = await Promise.all([
      run(new CustomerSource('acme-co', 'AAA'), store, 6),
      run(new CustomerSource('other-co', 'BBB'), store, 6),
    ]);
    const bound = await boundCustomer(store);
    const [winner, loser, won, lost] = bound === 'acme-co' ? [a, b, 'AAA', 'BBB'] : [b, a, 'BBB', 'AAA'];
    expect(winner.outcome).toBe('complete');
    expect(storedOf(store, won)).toBeGreaterThan(0);
    expect(loser.outcome).toBe('failed');
    expect(loser.eventsWritten).toBe(0);
    expect(loser.failures[0]?.message).toContain(`filled from Domo customer "${bound}"`);
    expect(loser.failures[0]?.message).toContain('none of their events was stored');
    expect(storedOf(store, lost)).toBe(0);
  });

  it('binds a fresh lake on a range run, and then refuses another customer', async () => {
    const store = new MemoryObjectStore();
    expect((await range(new CustomerSource('other-co', 'BBB'), store)).outcome).toBe('complete');
    expect(await boundCustomer(store)).toBe('other-co');
    const refused = await run(new CustomerSource('acme-co'), store, 9);
    expect(refused.outcome).toBe('failed');
    expect(storedOf(store, 'AAA')).toBe(0);
  });

  it('refuses a run over an unreadable binding, saying how to fix it', async () => {
    const store = new MemoryObjectStore();
    await store.put(BINDING, new TextEncoder().encode('{"version":1,'));
    const refused = await run(new CustomerSource('acme-co'), store, 6);
    expect(refused.outcome).toBe('failed');
    expect(refused.failures[0]?.configuration).toBe(true);
    expect(refused.failures[0]?.message).toContain(`(${BINDING}) is unreadable`);
    expect(refused.failures[0]?.message).toContain('delete it');
    expect(activityKeys(store)).toEqual([]);
  });

  it('refuses a token renewed mid-run for another customer before its page is stored', async () => {
    const store = new MemoryObjectStore();
    const refused = await run(renamed('acme-co', 'other-co'), store, 9);
    expect(refused.outcome).toBe('failed');
    expect(refused.failures[0]?.message).toContain(
      'filled from Domo customer "acme-co", but these credentials are for Domo customer "other-co"',
    );
    expect(await boundCustomer(store)).toBe('acme-co');
    expect(refused.eventsWritten).toBeLessThanOrEqual(12);
  });

  // Decided, not changed (docs/decisions.md): a run with no closed hour to pull asks Domo for
  // nothing, not even a token, so it has no customer to check; a run that pulls checks every page.
  it('binds on pages that hold no entry; a run with nothing to pull asks for none and checks nothing', async () => {
    const store = new MemoryObjectStore();
    const quiet = new QuietDomo('acme-co');
    const first = await run(quiet, store, 6);
    expect([first.outcome, first.eventsWritten, quiet.queries.length > 0]).toEqual(['complete', 0, true]);
    expect(await boundCustomer(store)).toBe('acme-co');
    // Another customer's client in the secret, within the hour: no hour has closed, no request.
    const other = new QuietDomo('other-co');
    expect((await run(other, store, 6)).windowsPlanned).toBe(0);
    expect(other.queries).toEqual([]);
    // The next run with a closed hour reads a page, and is refused before storing anything.
    const refused = await run(other, store, 7);
    expect(refused.outcome).toBe('failed');
    expect(refused.failures[0]?.message).toContain('filled from Domo customer "acme-co"');
  });

  it('runs on a token answer naming no customer, warned once, and binds none', async () => {
    const store = new MemoryObjectStore();
    const { log, logged } = recordingLog();
    expect((await run(new CustomerSource(undefined), store, 6, log)).outcome).toBe('complete');
    const warned = logged.filter(
      (line) => Array.isArray(line) && line[0] === 'warn' && String(line[1]).includes('names no customer'),
    );
    expect(warned).toHaveLength(1);
    expect(store.objects.has(BINDING)).toBe(false);
  });

  it('quotes a customer name without its control characters', async () => {
    const store = new MemoryObjectStore();
    await run(new CustomerSource('acme-co'), store, 4);
    const refused = await run(new CustomerSource('evil\u001b[2J\ncorp\u202e'), store, 9);
    const message = refused.failures[0]?.message ?? '';
    expect(message).toContain('Domo customer "evil [2J corp"');
    for (const control of ['\u001b', '\n', '\u202e']) expect(message).not.toContain(control);
  });

  it('asks again on a later page when reading the binding failed, not failing every page', async () => {
    const store = new FailingReadStore();
    const summary = await run(servedAfter(store.failed), store, 9);
    // The hour whose page met the failure fails; the hours in flight beside it, asking again, do not.
    expect(summary.failures.map((failure) => failure.message)).toEqual(['S3 GetObject 503 SlowDown']);
    expect(summary.windowsDone).toBeGreaterThan(0);
    expect(await boundCustomer(store)).toBe('acme-co');
  });

  it('keeps refusing every page over an unreadable binding, asking once', async () => {
    const store = new ReadCountingStore();
    await store.put(BINDING, bindingObject({ version: 2 }));
    const refused = await run(servedAfter(store.read), store, 9);
    expect(refused.eventsWritten).toBe(0);
    expect(refused.failures[0]?.configuration).toBe(true);
    expect(store.reads).toBe(1);
  });

  it('puts the binding again when the store answered that another put of it was in flight', async () => {
    const store = new ConflictingStore(2);
    expect(await bindCustomer(store, record)).toEqual({ customer: 'acme-co', created: true });
    expect(await boundCustomer(store)).toBe('acme-co');
  });

  it('says what happened when the binding stays absent after every refused put', async () => {
    const store = new ConflictingStore(Number.POSITIVE_INFINITY);
    const failed = bindCustomer(store, record);
    await expect(failed).rejects.toThrow(
      /could not be created: its create-only put was refused 5 times as if/,
    );
    await expect(failed).rejects.not.toThrow(/changed since it was read/);
    expect(store.objects.has(BINDING)).toBe(false);
  });

  it('says who may delete an unreadable binding on S3', async () => {
    const store = new S3LikeStore();
    await store.put(BINDING, new TextEncoder().encode('{"version":1,'));
    await expect(boundCustomer(store)).rejects.toThrow(
      'delete it (on S3 as a principal retention.deleteAllowedPrincipals names',
    );
  });

  it('refuses a binding that names another instance', async () => {
    const store = new MemoryObjectStore();
    await store.put(BINDING, bindingObject({ instance: 'other' }));
    await expect(boundCustomer(store)).rejects.toThrow('it names instance "other"');
  });

  it('refuses a binding whose customer is longer than a token answer’s may be', async () => {
    const store = new MemoryObjectStore();
    await store.put(BINDING, bindingObject({ customer: 'x'.repeat(MAX_CUSTOMER_CHARS + 1) }));
    await expect(boundCustomer(store)).rejects.toThrow(`(${BINDING}) is unreadable`);
    await store.put(BINDING, bindingObject({ customer: 'x'.repeat(MAX_CUSTOMER_CHARS) }));
    expect(await boundCustomer(store)).toBe('x'.repeat(MAX_CUSTOMER_CHARS));
  });

  it('leaves the binding out of the digest chain, which lists what the run stored', async () => {
    const store = new MemoryObjectStore();
    await run(new CustomerSource('acme-co'), store, 6);
    const chain = [...store.objects]
      .filter(([key]) => key.startsWith(digestPrefix('acme')))
      .map(([, object]) => new TextDecoder().decode(object.body))
      .join('\n');
    expect(chain).toContain('activity_log/');
    expect(chain).not.toContain('domo-customer');
  });

  it('warns truly when the answer named a customer the run cannot record', async () => {
    const { log, logged } = recordingLog();
    await run(new CustomerSource(undefined), new MemoryObjectStore(), 6, log);
    const warned = logged.filter((line) => Array.isArray(line) && line[0] === 'warn').map(String);
    expect(warned.join('\n')).toContain('names no customer this run can record (none, or one');
    expect(warned.join('\n')).toContain('holding the client secret, so not shown');
  });

  // review R-MSP H1: two customers' secrets swapped at onboarding bound each instance to the other's.
  it('refuses the first run with another customer than the one configured: nothing stored, nothing bound', async () => {
    const store = new MemoryObjectStore();
    const expecting = { ...config, domoCustomer: 'acme-co' };
    const refused = await runIngest(
      quietIngestDeps(new CustomerSource('other-co', 'BBB'), store, at(6)),
      expecting,
      hourly,
    );
    expect(refused.outcome).toBe('failed');
    expect(refused.failures[0]?.configuration).toBe(true);
    expect(refused.failures[0]?.message).toContain(
      'instance "acme" is configured for Domo customer "acme-co", but these credentials are for Domo customer "other-co": none of their events was stored, and the instance was not bound to "other-co"',
    );
    expect(await store.get(BINDING)).toBeUndefined();
    expect(storedOf(store, 'BBB')).toBe(0);
    const right = await runIngest(
      quietIngestDeps(new CustomerSource('acme-co'), store, at(7)),
      expecting,
      hourly,
    );
    expect(right.outcome).toBe('complete');
    expect(await boundCustomer(store)).toBe('acme-co');
  });
});

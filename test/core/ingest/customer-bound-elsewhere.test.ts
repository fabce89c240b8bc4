import { describe, expect, it } from 'vitest';
import type { AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { bindCustomer } from '../../../functions/core/lake/customer-binding.ts';
import { customerBindingKey } from '../../../functions/core/lake/layout.ts';
import { at, config, day0, hourly, sixAnHour } from '../../support/lookback-day.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

/** A Domo whose tokens name `customer`. */
class CustomerSource extends MemoryAuditSource implements AuditSource {
  constructor(private readonly named: string) {
    super(sixAnHour(12));
  }
  customer(): string {
    return this.named;
  }
}

const runAs = (instance: string, customer: string, store: MemoryObjectStore, h = 6) =>
  runIngest(quietIngestDeps(new CustomerSource(customer), store, at(h)), { ...config, instance }, hourly);

const keysOf = (store: MemoryObjectStore, instance: string) =>
  [...store.objects.keys()].filter((key) => key.includes(`/instance=${instance}/`));

class S3LikeStore extends MemoryObjectStore {
  override readonly location = 's3://lake/';
}

describe('one Domo customer, two instances of one lake (review R-FIRST M5)', () => {
  it('refuses the second instance’s first run, naming both instances and the secret to fix', async () => {
    const store = new S3LikeStore();
    expect((await runAs('main', 'acme-co', store)).outcome).toBe('complete');
    const refused = await runAs('eu-prod', 'acme-co', store);
    expect(refused.outcome).toBe('failed');
    expect(refused.eventsWritten).toBe(0);
    expect(refused.failures[0]?.configuration).toBe(true);
    const message = refused.failures[0]?.message ?? '';
    expect(message).toContain(
      'instance "eu-prod" of this lake is not bound to a Domo customer yet, and these credentials are for Domo customer "acme-co", whose events instance "main" of this lake already holds (state/instance=main/domo-customer.json)',
    );
    expect(message).toContain(`"eu-prod"'s secret`);
    expect(message).toContain('retention.deleteAllowedPrincipals');
    expect(message).toContain('belongs in another lake');
    // review R-MSP M2: a renamed instance is refused so too; its fix deletes nothing.
    expect(message).toContain(
      'If "eu-prod" is "main" renamed, put the old name "main" back in the configuration',
    );
    expect(message.indexOf('renamed')).toBeLessThan(message.indexOf('delete state/instance=main'));
    expect(message).not.toMatch(/--[a-z]/);
    expect(await store.get(customerBindingKey('eu-prod'))).toBeUndefined();
    expect(keysOf(store, 'eu-prod').filter((key) => key.startsWith('activity_log/'))).toEqual([]);
  });

  it('binds a second instance to another customer, and keeps binding the first one as before', async () => {
    const store = new MemoryObjectStore();
    await runAs('main', 'acme-co', store);
    const other = await runAs('eu-prod', 'acme-eu', store);
    expect(other.outcome).toBe('complete');
    expect(other.eventsWritten).toBeGreaterThan(0);
    expect((await runAs('main', 'acme-co', store, 9)).outcome).toBe('complete');
  });

  it('leaves two instances bound to one customer before this check ingesting (an upgraded lake)', async () => {
    const store = new MemoryObjectStore();
    for (const instance of ['main', 'eu-prod']) {
      await store.put(
        customerBindingKey(instance),
        new TextEncoder().encode(
          JSON.stringify({
            version: 1,
            instance,
            customer: 'acme-co',
            recorded_at: '2026-01-01T00:00:00.000Z',
            run_id: 'old',
          }),
        ),
      );
    }
    expect((await runAs('eu-prod', 'acme-co', store)).outcome).toBe('complete');
  });

  it('passes over another instance’s unreadable binding (its own runs report it)', async () => {
    const store = new MemoryObjectStore();
    await store.put(customerBindingKey('main'), new TextEncoder().encode('{not json'));
    const bound = await bindCustomer(store, {
      instance: 'eu-prod',
      customer: 'acme-co',
      runId: 'r',
      now: day0,
    });
    expect(bound).toEqual({ customer: 'acme-co', created: true });
  });
});

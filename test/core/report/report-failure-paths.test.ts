import { expect, it } from 'vitest';
import { reportSentKey } from '../../../functions/core/lake/layout.ts';
import { sendWeeklyReport } from '../../../functions/core/report/send-weekly-report.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { FakeEngine } from './fake-engine.ts';

/** A lake on disk names itself without a trailing slash (`/tmp/r`), unlike an S3 prefix. */
class DiskNamedStore extends MemoryObjectStore {
  override readonly location: string = '/tmp/local-lake';
}

const MARKER = reportSentKey('acme', '2026-W47');
const config = {
  instance: 'acme',
  timeZone: 'UTC',
  from: 'reports@example.com',
  to: ['security@example.com'],
};

function deps(store: MemoryObjectStore) {
  return {
    engine: new FakeEngine(),
    store,
    mailer: { send: async () => ({ messageId: 'm' }) },
    clock: { now: () => Date.parse('2026-11-23T07:00:00Z') },
    log: { debug() {}, info() {}, warn() {}, error() {} },
    metrics: { count() {} },
  };
}

it('names the marker of a failed claim on a disk lake as a path that exists', async () => {
  const store = new DiskNamedStore();
  store.beforePut = (key) => {
    if (key === MARKER) throw new Error('EACCES: permission denied');
  };
  await expect(sendWeeklyReport(deps(store), config)).rejects.toThrow(
    'if /tmp/local-lake/reports/instance=acme/2026-W47.sent.json is in state sending',
  );
});

it('names the archive folder of a failed archive on a disk lake as a path that exists', async () => {
  const store = new DiskNamedStore();
  store.beforePut = (key) => {
    if (key.endsWith('.txt')) throw new Error('ENOSPC: no space left on device');
  };
  await expect(sendWeeklyReport(deps(store), config)).rejects.toThrow(
    'because archiving it under /tmp/local-lake/reports/ failed',
  );
});

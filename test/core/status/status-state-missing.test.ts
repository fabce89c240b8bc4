import { afterEach, describe, expect, it } from 'vitest';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { firstCoveredHour } from '../../../functions/core/lake/coverage.ts';
import { lastRunKey } from '../../../functions/core/lake/last-run.ts';
import { checkpointKey } from '../../../functions/core/lake/layout.ts';
import { closeChainLakeSimulator, scheduledRun, sixHourLake } from '../../support/chain-lake.ts';
import { statusAt } from '../../support/status-at.ts';

// Review CHAIN2: with the checkpoint and the run record lost together (a restore that left state/
// out), status said "no watermark yet: the first scheduled ingest has not saved an hour" of a lake
// holding hours that scheduled runs stored, as the digest chain shows.

afterEach(closeChainLakeSimulator);

describe('status of a lake whose checkpoint and run record are both gone', () => {
  it('says both are missing, the hours held, and where Recovery is', async () => {
    const { store, now } = await sixHourLake();
    await recordLastRun(store, await scheduledRun(store, now.ms), now.ms);
    const firstMs = await firstCoveredHour(store, 'acme');
    store.objects.delete(checkpointKey('acme'));
    store.objects.delete(lastRunKey('acme'));

    const { status, table } = await statusAt(store, 'acme', now.ms);

    expect(status.stateMissing?.fromMs).toBe(firstMs);
    expect(status.rangeOnly).toBeNull();
    expect(status.late).toBe(true);
    const text = table.replace(/\s+/g, ' ');
    expect(text).toContain(
      'acme: no watermark: the checkpoint and the run record are both missing, though the digest chain shows a scheduled run and the lake holds hours',
    );
    expect(text).toContain('see docs/operations.md, section "Recovery"');
    expect(text).not.toContain('the first scheduled ingest has not saved an hour');
  });

  it('says nothing of it while either is there', async () => {
    const { store, now } = await sixHourLake();
    await recordLastRun(store, await scheduledRun(store, now.ms), now.ms);
    expect((await statusAt(store, 'acme', now.ms)).status.stateMissing).toBeNull();
    store.objects.delete(checkpointKey('acme'));
    const { status } = await statusAt(store, 'acme', now.ms);
    expect(status.stateMissing).toBeNull();
    expect(status.checkpointMissing).not.toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { newAlertCheckpoint, readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { NOW } from './support/delivery-fixtures.ts';

describe('an alerts checkpoint stored under another instance', () => {
  it('is refused, naming both instances, rather than applied to this one', async () => {
    const store = new MemoryObjectStore();
    const other = newAlertCheckpoint('other', NOW);
    store.putNow(alertsStateKey('acme', 'checkpoint.json'), new TextEncoder().encode(JSON.stringify(other)));
    await expect(readAlertCheckpoint(store, 'acme')).rejects.toThrow(
      'the alerts checkpoint alerts-state/instance=acme/checkpoint.json belongs to instance "other", not "acme": it was copied or moved from that instance\'s folder, and alerts are paused for acme. Put it back where it came from, or delete it to start again',
    );
  });
});

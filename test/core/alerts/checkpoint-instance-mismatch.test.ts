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
      'the alerts checkpoint alerts-state/instance=acme/checkpoint.json belongs to instance "other", not "acme": it was copied or moved from that instance\'s folder, and alerts are paused for acme. Move it back where it came from (a copy there and a delete here), or delete it to start again',
    );
  });
});

describe('an alerts checkpoint a newer release wrote', () => {
  it('asks for an update of this one, never to delete it, and changes nothing', async () => {
    const store = new MemoryObjectStore();
    const key = alertsStateKey('acme', 'checkpoint.json');
    const body = new TextEncoder().encode(JSON.stringify({ ...newAlertCheckpoint('acme', NOW), version: 2 }));
    store.putNow(key, body);
    const refused = await readAlertCheckpoint(store, 'acme').catch((error: Error) => error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).toBe('NewerVersionError');
    expect((refused as Error).message).toBe(
      `the alerts checkpoint ${key} at memory://lake/ was written by a newer version of domo-activity-lake (alerts checkpoint v2; this one reads v1): update this one (git pull && npm ci, or deploy the newer release); alerts are paused for acme until then. Do not delete it: the alerts waiting in it would be lost`,
    );
    expect((refused as Error).message).not.toMatch(/corrupt|Delete it/);
    expect((await store.get(key))?.body).toEqual(body);
  });
});

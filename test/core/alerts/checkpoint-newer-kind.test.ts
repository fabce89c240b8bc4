/**
 * After rolling back a release that added an alert kind, the checkpoint may still hold alerts of
 * that kind (waiting in an outbox or the archive list, or counted in a folded record). It read as
 * corrupt, with the advice to delete it, which loses every alert waiting in it (review R-CONTRIB
 * H2): it is the newer release's, as a checkpoint of a newer version is.
 */
import { describe, expect, it } from 'vitest';
import {
  emptyChannel,
  newAlertCheckpoint,
  readAlertCheckpoint,
  updateAlertCheckpoint,
} from '../../../functions/core/alerts/alert-checkpoint.ts';
import { alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { alertAt, NOW } from './support/delivery-fixtures.ts';

const KEY = alertsStateKey('acme', 'checkpoint.json');
const newer = { ...alertAt('t1', NOW), kind: 'access_token_after_hours' };

/** A store holding `checkpoint` as the checkpoint of acme, and its bytes. */
function stored(checkpoint: object) {
  const store = new MemoryObjectStore();
  const body = new TextEncoder().encode(JSON.stringify(checkpoint));
  store.putNow(KEY, body);
  return { store, body };
}

const refusal = (store: MemoryObjectStore) =>
  readAlertCheckpoint(store, 'acme').catch((error: Error) => error);

describe('an alerts checkpoint holding alerts of a kind this release does not know', () => {
  it("is a newer release's: update this one, never delete it; nothing is changed", async () => {
    const { store, body } = stored({
      ...newAlertCheckpoint('acme', NOW),
      channels: { mail: { ...emptyChannel(), outbox: [alertAt('l1', NOW), newer] } },
    });
    const refused = await refusal(store);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).toBe('NewerVersionError');
    expect((refused as Error).message).toBe(
      `the alerts checkpoint ${KEY} at memory://lake/ holds alerts of a kind this version does not know (access_token_after_hours): written by a newer version of domo-activity-lake, which raises them. Update this one (git pull && npm ci, or deploy the newer release); alerts are paused for acme until then. Do not delete it: the alerts waiting in it would be lost`,
    );
    expect((refused as Error).message).not.toMatch(/corrupt|Delete it/);

    const updating = updateAlertCheckpoint(
      store,
      'acme',
      () => newAlertCheckpoint('acme', NOW),
      (current) => current,
    );
    await expect(updating).rejects.toThrow('Do not delete it');
    expect((await store.get(KEY))?.body).toEqual(body);
  });

  it('names every such kind, wherever it waits: archive list, claim, count records', async () => {
    const folded = { count: 3, kinds: { lockout: 1, mfa_disabled: 2 }, oldest_ms: NOW, newest_ms: NOW };
    const { store } = stored({
      ...newAlertCheckpoint('acme', NOW),
      archive: [{ ...newer, kind: 'admin_granted' }],
      channels: {
        mail: {
          ...emptyChannel(),
          sending: { attempt_id: 'a', claimed_at_ms: NOW, alerts: [newer] },
          folded,
        },
      },
    });
    expect(((await refusal(store)) as Error).message).toContain(
      'holds alerts of kinds this version does not know (access_token_after_hours, admin_granted, mfa_disabled)',
    );
  });

  it('one counted only, in a folded record, is enough', async () => {
    const folded = { count: 2, kinds: { mfa_disabled: 2 }, oldest_ms: NOW, newest_ms: NOW };
    const { store } = stored({
      ...newAlertCheckpoint('acme', NOW),
      channels: { mail: { ...emptyChannel(), folded } },
    });
    const refused = await refusal(store);
    expect((refused as Error).name).toBe('NewerVersionError');
    expect((refused as Error).message).toContain('(mfa_disabled)');
  });

  it('a checkpoint whose kinds are all known but which is damaged otherwise still reads as corrupt', async () => {
    const { store } = stored({
      ...newAlertCheckpoint('acme', NOW),
      archive: [{ ...alertAt('l1', NOW), kind: 7 }],
    });
    const refused = await refusal(store);
    expect((refused as Error).name).toBe('Error');
    expect((refused as Error).message).toContain('is corrupt (field archive.0.kind');
  });
});

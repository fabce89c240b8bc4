import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeLockLitter } from '../../functions/adapters/file-lock.ts';
import { SWITCH_LOCK_FILE, switchFileSet } from '../../functions/adapters/file-set-switch.ts';
import { procIdentity } from '../../functions/adapters/process-identity.ts';

// Lock users killed at the wrong moment leave files beside the lock: a lock moved aside
// (`.stale`, `.release`), a claim (`.claim`), the temp file a lock or claim is written to
// (`.tmp`). Nothing removed them, so they stayed in the mail folder for ever. The holder of the
// lock now removes those no live lock user still has a use for.

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-lock-litter-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const L = SWITCH_LOCK_FILE;
const hex = (n: number, digit = 'a') => digit.repeat(n);
/** The owner record of a process of this machine that is gone (pids are below 2^22 on Linux). */
const dead = JSON.stringify({
  pid: 2 ** 22 + 7,
  host: hostname(),
  acquired_at: new Date().toISOString(),
  token: 'd',
});
/** The owner record of a live process of this machine (the parent), as it writes it. */
const live = JSON.stringify({
  pid: process.ppid,
  host: hostname(),
  acquired_at: new Date().toISOString(),
  token: 'l',
  pid_ns: procIdentity.pidNamespace(),
  boot_id: procIdentity.bootId(),
  started: procIdentity.startTime(process.ppid),
});
const claimOf = (lockText: string) =>
  `${L}.${createHash('sha256').update(lockText).digest('hex').slice(0, 32)}.claim`;

async function put(name: string, text: string, ageMs = 0) {
  await writeFile(join(dir, name), text);
  const at = new Date(Date.now() - ageMs);
  await utimes(join(dir, name), at, at);
}

describe('the mail folder lock litter', () => {
  it('is removed by the next switch when its maker is gone, and left while it may be live', async () => {
    const litter = {
      [claimOf(dead)]: dead, // a waiter killed taking over a lock since gone
      [`${L}.${hex(24)}.tmp`]: dead, // a taker killed before linking its lock
      [`${L}.${hex(32, 'b')}.claim.${hex(24)}.tmp`]: '', // killed while writing it, 11 minutes ago
    };
    const kept = {
      [`${L}.${hex(24, 'c')}.tmp`]: live, // a live taker's
      [`${L}.${hex(24, 'd')}.tmp`]: '', // being written
      [`${L}.${hex(12)}.stale`]: dead, // being moved aside just now
      [`${L}.bak`]: dead,
      [`.other.lock.${hex(24)}.tmp`]: dead,
    };
    for (const [name, text] of Object.entries({ ...litter, ...kept }))
      await put(name, text, text ? 0 : 11 * 60_000);
    await put(`${L}.${hex(24, 'd')}.tmp`, '');
    await switchFileSet([{ path: join(dir, 'report.html'), content: 'n' }]);
    expect((await readdir(dir)).sort()).toEqual([...Object.keys(kept), 'report.html'].sort());
  });

  it('moved aside is removed once its move is older than the stale age; the held lock keeps its claim', async () => {
    const lockPath = join(dir, L);
    const held = JSON.stringify({
      pid: process.pid,
      host: hostname(),
      acquired_at: new Date().toISOString(),
    });
    await put(L, held);
    const aside = [`${L}.${hex(12)}.stale`, `${L}.${hex(12, 'b')}.release`];
    for (const name of aside) await put(name, dead);
    // A waiter judging the held lock (its claim), and a live waiter's claim of another lock.
    await put(claimOf(held), dead);
    await put(claimOf('another lock'), live);
    const options = { staleMs: 600_000 };
    await removeLockLitter(lockPath, options);
    expect((await readdir(dir)).sort()).toEqual([L, claimOf(held), claimOf('another lock'), ...aside].sort());
    await removeLockLitter(lockPath, { ...options, now: () => Date.now() + 601_000 });
    expect((await readdir(dir)).sort()).toEqual([L, claimOf(held), claimOf('another lock')].sort());
  });
});

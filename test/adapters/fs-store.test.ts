import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { PreconditionFailedError } from '../../functions/core/ports.ts';
import { collect } from '../support/collect.ts';
import { dirPerTest, encode } from '../support/dir-per-test.ts';

const decode = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);
const settle = async (put: Promise<unknown>) =>
  put.then(
    () => 'won' as const,
    (error: unknown) => {
      if (error instanceof PreconditionFailedError) return 'lost' as const;
      throw error;
    },
  );

const workerPath = join(import.meta.dirname, 'fs-store-worker.ts');

type Outcome = { outcome?: string; error?: string };

/**
 * A worker process (through tsx), started once and given one task per race: it prepares the task,
 * answers "ready", and runs it on "go".
 */
class Worker {
  readonly child: ChildProcess;
  private readonly waiting: ((line: string) => void)[] = [];

  constructor() {
    this.child = spawn(process.execPath, ['--import', 'tsx', workerPath], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    if (!this.child.stdout) throw new Error('worker has no stdout');
    createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.(line));
    this.child.on('exit', (code) => {
      for (const waiter of this.waiting.splice(0))
        waiter(JSON.stringify({ error: `worker exited with ${code}` }));
    });
  }

  private send(line: string): Promise<string> {
    const answer = new Promise<string>((resolve) => this.waiting.push(resolve));
    this.child.stdin?.write(`${line}\n`);
    return answer;
  }

  /** Sends the task and resolves once the worker is ready to run it. */
  async prepare(task: string[]): Promise<void> {
    const line = await this.send(JSON.stringify(task));
    if (line !== 'ready') throw new Error(`worker did not get ready: ${line}`);
  }

  async go(): Promise<Outcome> {
    return JSON.parse(await this.send('go')) as Outcome;
  }
}

/** Each worker gets its task; then all start together with the in-process contenders. */
async function race(tasks: string[][], inProcess: () => Promise<unknown>[]) {
  await Promise.all(tasks.map((task, i) => workers[i]?.prepare(task)));
  const remote = Promise.all(tasks.map((_, i) => (workers[i] as Worker).go()));
  const local = inProcess();
  return { local: await Promise.all(local), remote: await remote };
}

let workers: Worker[] = [];
beforeAll(() => {
  workers = [new Worker(), new Worker()];
});
afterAll(() => {
  for (const worker of workers) worker.child.kill();
});

let dir: string;
let store: FsObjectStore;

dirPerTest('fs-store-', (made) => {
  dir = made;
  store = new FsObjectStore(made);
});

describe('FsObjectStore', () => {
  it('round-trips bytes with a quoted hex ETag that changes with the content', async () => {
    const key = 'activity_log/instance=acme/dt=2026-10-01/2026-10-01T10.ndjson.gz';
    const { etag } = await store.put(key, encode('one'));
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const got = await store.get(key);
    expect(decode(got?.body)).toBe('one');
    expect(got?.etag).toBe(etag);
    expect(await readFile(join(dir, ...key.split('/')), 'utf8')).toBe('one');
    const second = await store.put(key, encode('two'));
    expect(second.etag).not.toBe(etag);
    expect(await store.get('activity_log/none')).toBeUndefined();
    expect(store.location).toBe(dir);
  });

  it('resolves a relative root to an absolute location', () => {
    expect(new FsObjectStore('lake').location).toBe(join(process.cwd(), 'lake'));
  });

  it('lists keys in lexicographic order, under a prefix, skipping temp and lock files', async () => {
    const keys = [
      'b',
      'a/x',
      'a-b',
      'a.c',
      'a/b/c',
      'ab',
      'coverage/instance=acme/dt=2026-10-02/2026-10-02T00.json',
    ];
    for (const key of keys) await store.put(key, encode(key));
    await writeFile(join(dir, 'a', '.x.lock'), 'lock');
    await writeFile(join(dir, '.0123.tmp'), 'temp');
    const sorted = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(await collect(store.list(''))).toEqual(sorted);
    expect(await collect(store.list('a/'))).toEqual(['a/b/c', 'a/x']);
    expect(await collect(store.list('a'))).toEqual(['a-b', 'a.c', 'a/b/c', 'a/x', 'ab']);
    expect(await collect(store.list('coverage/instance=acme/dt=2026-10-0'))).toEqual([keys[6]]);
    expect(await collect(store.list('missing/'))).toEqual([]);
    expect(await collect(new FsObjectStore(join(dir, 'nope')).list(''))).toEqual([]);
  });

  it('create-only put fails with PreconditionFailedError when the key exists', async () => {
    await store.put('k', encode('first'), { ifNoneMatch: '*' });
    await expect(store.put('k', encode('second'), { ifNoneMatch: '*' })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    expect(decode((await store.get('k'))?.body)).toBe('first');
  });

  it('if-match put fails when the ETag differs or the key is absent, succeeds when it matches', async () => {
    const { etag } = await store.put('k', encode('v1'));
    const { etag: etag2 } = await store.put('k', encode('v2'), { ifMatch: etag });
    await expect(store.put('k', encode('v3'), { ifMatch: etag })).rejects.toThrow(PreconditionFailedError);
    await expect(store.put('absent', encode('x'), { ifMatch: etag })).rejects.toThrow(
      PreconditionFailedError,
    );
    expect(decode((await store.get('k'))?.body)).toBe('v2');
    // ETags compare with or without quotes, like S3's
    await store.put('k', encode('v4'), { ifMatch: etag2.replaceAll('"', '') });
    expect(decode((await store.get('k'))?.body)).toBe('v4');
  });

  it('leaves no temp or lock files behind, after wins and after lost conditions', async () => {
    const { etag } = await store.put('d/k', encode('v1'), { ifNoneMatch: '*' });
    await store.put('d/k', encode('v2'), { ifMatch: etag });
    await expect(store.put('d/k', encode('v3'), { ifMatch: etag })).rejects.toThrow(PreconditionFailedError);
    await expect(store.put('d/k', encode('v3'), { ifNoneMatch: '*' })).rejects.toThrow(
      PreconditionFailedError,
    );
    expect(await readdir(join(dir, 'd'))).toEqual(['k']);
  });

  it('rejects keys that could escape the lake or collide with its own files', async () => {
    for (const key of [
      '../x',
      'a/../../x',
      '/etc/passwd',
      'C:/x',
      'a\\b',
      'a//b',
      'a/',
      '',
      './a',
      'a/.k.lock',
    ]) {
      await expect(store.get(key)).rejects.toThrow(/invalid lake key/);
      await expect(store.put(key, encode('x'))).rejects.toThrow(/invalid lake key/);
    }
    await expect(collect(store.list('../'))).rejects.toThrow(/invalid lake key/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('never shows a partly written object to a concurrent reader', async () => {
    const big = (c: string) => encode(c.repeat(1024 * 1024));
    const versions = [big('a'), big('b'), big('c')];
    const expected = new Set(versions.map((v) => decode(v.subarray(0, 1))));
    let writing = true;
    const reads: string[] = [];
    const reader = (async () => {
      while (writing) {
        const got = await store.get('big');
        if (!got) continue;
        // Whole object, a single version: byte for byte one of those written (compared natively: a
        // byte-by-byte loop in JS held the event loop ~4 ms a read, and the writes waited behind it).
        const whole = versions.find((version) => Buffer.compare(version, got.body) === 0);
        reads.push(whole ? (decode(whole.subarray(0, 1)) ?? '') : 'torn');
      }
    })();
    for (let i = 0; i < 12; i += 1) await store.put('big', versions[i % 3] ?? new Uint8Array());
    writing = false;
    await reader;
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter((r) => !expected.has(r))).toEqual([]);
  });

  it('exactly one of many concurrent create-only writers wins, across processes', async () => {
    const tasks = [0, 1].map((i) => ['create', dir, 'race/k', `child-${i}`]);
    const { local, remote } = await race(tasks, () =>
      Array.from({ length: 6 }, (_, i) =>
        settle(store.put('race/k', encode(`local-${i}`), { ifNoneMatch: '*' })),
      ),
    );
    const outcomes = [...local, ...remote.map((r) => r.outcome ?? r.error)];
    expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'lost')).toHaveLength(7);
    const winner = local.includes('won')
      ? `local-${local.indexOf('won')}`
      : `child-${remote.findIndex((r) => r.outcome === 'won')}`;
    expect(decode((await store.get('race/k'))?.body)).toBe(winner);
  });

  it('exactly one of many concurrent if-match writers of the same version wins, across processes', async () => {
    const { etag } = await store.put('race/k', encode('v0'));
    const tasks = [0, 1].map((i) => ['replace', dir, 'race/k', etag, `child-${i}`]);
    const { local, remote } = await race(tasks, () =>
      Array.from({ length: 6 }, (_, i) =>
        settle(store.put('race/k', encode(`local-${i}`), { ifMatch: etag })),
      ),
    );
    const outcomes = [...local, ...remote.map((r) => r.outcome ?? r.error)];
    expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'lost')).toHaveLength(7);
  });

  it('loses no update when processes increment a counter with if-match retries', async () => {
    const tasks = [0, 1].map(() => ['increment', dir, 'counter', '15']);
    const incrementOnce = async () => {
      for (;;) {
        const current = await store.get('counter');
        const value = current ? Number(decode(current.body)) : 0;
        const options = current ? { ifMatch: current.etag } : { ifNoneMatch: '*' as const };
        if ((await settle(store.put('counter', encode(String(value + 1)), options))) === 'won') return;
      }
    };
    const increment = async (times: number) => {
      for (let i = 0; i < times; i += 1) await incrementOnce();
    };
    const { remote } = await race(tasks, () => [increment(15), increment(15)]);
    expect(remote).toEqual([{ outcome: 'done' }, { outcome: 'done' }]);
    expect(decode((await store.get('counter'))?.body)).toBe('60');
    expect(await readdir(dir)).toEqual(['counter']);
  });

  describe('lock file', () => {
    const lockOf = (key: string) => join(dir, `.${key}.lock`);
    // Fake time: a lock that is (wrongly) not broken fails fast instead of waiting for real.
    const fastFailing = (options: { staleLockMs?: number } = {}) => {
      let clock = Date.now();
      return new FsObjectStore(dir, {
        ...options,
        lockTimeoutMs: 1_000,
        now: () => clock,
        sleep: async (ms) => {
          clock += ms;
        },
      });
    };
    const owner = (pid: number, host = hostname()) =>
      JSON.stringify({ pid, host, acquired_at: new Date().toISOString(), token: 'theirs' });

    it("breaks another machine's lock older than staleLockMs", async () => {
      const old = new Date(Date.now() - 120_000);
      const taken = {
        pid: process.ppid,
        host: 'another-host',
        acquired_at: old.toISOString(),
        token: 'theirs',
      };
      await writeFile(lockOf('k'), JSON.stringify(taken));
      await utimes(lockOf('k'), old, old);
      await fastFailing({ staleLockMs: 60_000 }).put('k', encode('v'));
      expect(decode((await store.get('k'))?.body)).toBe('v');
      expect(await readdir(dir)).toEqual(['k']);
    });

    it('breaks a fresh lock whose owner process is gone', async () => {
      const dead = spawn(process.execPath, ['-e', '']);
      const pid = dead.pid ?? 0;
      await new Promise((resolve) => dead.on('exit', resolve));
      await writeFile(lockOf('k'), owner(pid));
      await fastFailing().put('k', encode('v'));
      expect(await readdir(dir)).toEqual(['k']);
    });

    it('waits for a live lock, then fails with a fix-it message after lockTimeoutMs', async () => {
      await writeFile(lockOf('k'), owner(process.ppid, 'another-host'));
      let clock = Date.now();
      const waiting = new FsObjectStore(dir, {
        lockTimeoutMs: 5_000,
        now: () => clock,
        sleep: async (ms) => {
          clock += ms;
        },
      });
      await expect(waiting.put('k', encode('v'))).rejects.toThrow(
        /timed out after 5000 ms waiting for the write lock .*\.k\.lock.*delete the lock file/,
      );
      expect(await waiting.get('k')).toBeUndefined();
      expect(await readFile(lockOf('k'), 'utf8')).toContain('theirs');
    });
  });
});

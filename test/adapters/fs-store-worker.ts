/**
 * Child process for the cross-process tests of FsObjectStore. It serves several scenarios, one at a
 * time (a process start costs more than a scenario): each stdin line is a JSON task; it answers
 * "ready", waits for "go" (so every contender starts together), runs the task and prints one JSON
 * line with the outcome. Tasks:
 *   ["create", dir, key, body]             create-only put
 *   ["replace", dir, key, etag, body]      if-match put
 *   ["increment", dir, key, times]         read-modify-write of a counter, retrying lost races
 */
import { createInterface } from 'node:readline';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { PreconditionFailedError } from '../../functions/core/ports.ts';

const encode = (text: string) => new TextEncoder().encode(text);

async function attempt(put: () => Promise<unknown>): Promise<'won' | 'lost'> {
  try {
    await put();
    return 'won';
  } catch (error) {
    if (error instanceof PreconditionFailedError) return 'lost';
    throw error;
  }
}

/** Adds one to the counter at `key` with a conditional put, retrying each lost race. */
async function increment(store: FsObjectStore, key: string): Promise<void> {
  for (;;) {
    const current = await store.get(key);
    const value = current ? Number(new TextDecoder().decode(current.body)) : 0;
    const options = current ? { ifMatch: current.etag } : { ifNoneMatch: '*' as const };
    if ((await attempt(() => store.put(key, encode(String(value + 1)), options))) === 'won') return;
  }
}

async function run(task: string[]): Promise<unknown> {
  const [mode = '', dir = '', key = '', arg1 = '', arg2 = ''] = task;
  if (!mode || !dir || !key) throw new Error('a task is [mode, dir, key, ...]');
  const store = new FsObjectStore(dir);
  if (mode === 'create') return attempt(() => store.put(key, encode(arg1), { ifNoneMatch: '*' }));
  if (mode === 'replace') return attempt(() => store.put(key, encode(arg2), { ifMatch: arg1 }));
  if (mode === 'increment') {
    for (let i = 0; i < Number(arg1); i += 1) await increment(store, key);
    return 'done';
  }
  throw new Error(`unknown mode ${mode}`);
}

let task: string[] | undefined;
createInterface({ input: process.stdin }).on('line', (line) => {
  if (task === undefined) {
    task = JSON.parse(line) as string[];
    process.stdout.write('ready\n');
    return;
  }
  const current = task;
  task = undefined;
  run(current).then(
    (outcome) => process.stdout.write(`${JSON.stringify({ outcome })}\n`),
    (error: unknown) => process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`),
  );
});

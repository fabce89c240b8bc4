/**
 * What tests of the digest chain's history build: the chain as its first version wrote it, and a
 * run killed right after one of its writes landed.
 */
import { listDigestKeys, sha256Hex } from '../../functions/core/lake/digest.ts';
import type { ObjectStore } from '../../functions/core/ports.ts';
import type { MemoryObjectStore } from './memory-store.ts';

/**
 * Rewrites every digest of `instance` in `lake` as the chain's first version (4cd0c6e, 2026-11-30)
 * wrote it: no `sealed`, `from_ms`, `to_ms`, `began`, `intents` or `runner`, each digest relinked to the bytes of the one
 * before, as that version's own verify accepted it.
 */
export async function rewriteAsFirstVersion(lake: MemoryObjectStore, instance: string): Promise<void> {
  let previous: { key: string; sha256: string } | null = null;
  for (const key of await listDigestKeys(lake, instance)) {
    const text = new TextDecoder().decode(lake.objects.get(key)?.body as Uint8Array);
    const {
      sealed: _s,
      from_ms: _f,
      to_ms: _t,
      began: _b,
      intents: _i,
      runner: _r,
      ...old
    } = JSON.parse(text);
    const body = new TextEncoder().encode(`${JSON.stringify({ ...old, previous })}\n`);
    await lake.put(key, body);
    previous = { key, sha256: sha256Hex(body) };
  }
}

/** `lake` as a run sees it that is killed right after its put of `lastKey` lands: nothing after. */
export function killedAfterPut(lake: ObjectStore, lastKey: string): ObjectStore {
  let killed = false;
  return {
    location: lake.location,
    get: async (key) => {
      if (killed) throw new Error('killed');
      return lake.get(key);
    },
    list: (prefix) => lake.list(prefix),
    put: async (key, body, options) => {
      if (killed) throw new Error('killed');
      const put = await lake.put(key, body, options);
      if (key === lastKey) killed = true;
      return put;
    },
  };
}

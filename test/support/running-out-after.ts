import type { MemoryObjectStore } from './memory-store.ts';

/**
 * An invocation's remaining time for `remainingTimeMs`: plenty until `manifests` hours' coverage
 * manifests are stored in `store`, then `thenMs` (50 ms by default: too little for another hour).
 */
export function runningOutAfter(store: MemoryObjectStore, manifests: number, thenMs = 50): () => number {
  let left = 600_000;
  let written = 0;
  store.beforePut = (key) => {
    if (key.startsWith('coverage/') && ++written === manifests) left = thenMs;
  };
  return () => left;
}

import v8 from 'node:v8';
import vm from 'node:vm';

/** A garbage collection on demand, as `--expose-gc` gives it, to see what is still held. */
export function gcOnDemand(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/**
 * What `alive` counts once garbage is collected, each time in a task of its own: a WeakRef keeps its
 * target until the end of the task that made or read it. V8 itself may hold the entries a moment
 * longer: a function it optimises on a background thread is held with its closure's context until
 * its code is installed, which the main thread does when it next runs. For fetch-range.ts's `keep`,
 * that context is the page and the span's list of entries read: about 1 warmed-up ingest in 150
 * found them all held, let go within 30 ms. So collections repeat while any is alive, for up to
 * 5 s: the ingest waits in the hour's write all along, and what it holds stays held through each.
 */
export async function aliveAfterCollecting(collect: () => void, alive: () => number): Promise<number> {
  const until = Date.now() + 5_000;
  let count: number;
  do {
    await new Promise((resolve) => setTimeout(resolve, 10));
    collect();
    count = alive();
  } while (count > 0 && Date.now() < until);
  return count;
}

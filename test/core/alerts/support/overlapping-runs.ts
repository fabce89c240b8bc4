import type { MemoryObjectStore } from '../../../support/memory-store.ts';

/** A promise to wait on and the function that settles it. */
function gate() {
  let open = () => {};
  return { wait: new Promise<void>((resolve) => (open = resolve)), open: () => open() };
}

/**
 * Two alerts runs of one store, overlapping the way that once sent an alert twice: B stops before
 * its login profile write; A runs to its checkpoint write and waits there while B ends (takes its
 * alerts in, sends them); then A ends. `runB` and `runA` start each run.
 */
export async function overlapTwoRuns(
  store: MemoryObjectStore,
  runB: () => Promise<unknown>,
  runA: () => Promise<unknown>,
): Promise<void> {
  let phase = 'B';
  const [gateB, gateA] = [gate(), gate()];
  store.beforePut = async (key) => {
    if (phase === 'B' && key.endsWith('login-profile.json.gz')) {
      phase = 'B waits';
      await gateB.wait;
    } else if (phase === 'A' && key.includes('alerts-state') && key.endsWith('checkpoint.json')) {
      phase = 'A waits';
      await gateA.wait;
    }
  };
  const reached = async (want: string) => {
    while (phase !== want) await new Promise((resolve) => setTimeout(resolve, 1));
  };
  try {
    const b = runB();
    await reached('B waits');
    phase = 'A';
    const a = runA();
    await reached('A waits');
    phase = 'done';
    gateB.open();
    await b;
    gateA.open();
    await a;
  } finally {
    store.beforePut = undefined;
  }
}

import type { Sleep } from '../../functions/core/ports.ts';

/**
 * The run's own waits for tests that do not look at them: a turn of the event loop instead of the
 * real 50-250 ms (so another run's writes still get to go first), and a fixed jitter draw.
 */
const nextTurn: Sleep = () => new Promise<void>((resolve) => setImmediate(resolve));

export const noWaits = { sleep: nextTurn, random: () => 0.5 };

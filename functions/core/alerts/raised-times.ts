/**
 * Raise times by key, as the alerts checkpoint keeps sprays (raised-sprays.ts) and bulk exports
 * (raised-exports.ts): for each key, when each alert raised for it happened. Kept for the hours a
 * recheck may evaluate again, so that an alert a late event shifts is recognised as one sent.
 */
export type RaisedTimes = Record<string, number[]>;

/** Adds `atMs` to `key`'s times, once: a recheck raising the same alert again adds nothing. */
export function addRaisedTime(times: RaisedTimes, key: string, atMs: number): void {
  const held = times[key] ?? [];
  if (!held.includes(atMs)) times[key] = [...held, atMs];
}

/** The times from `fromMs` on (older hours are no longer evaluated again); keys left empty go. */
export const raisedTimesFrom = (times: RaisedTimes, fromMs: number): RaisedTimes =>
  Object.fromEntries(
    Object.entries(times)
      .map(([key, held]) => [key, held.filter((at) => at >= fromMs)] as const)
      .filter(([, held]) => held.length > 0),
  );

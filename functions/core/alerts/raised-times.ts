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

/**
 * What a run saw still going on of the sprays and bulk exports recorded as raised (their key, as
 * in {@link RaisedTimes}): the time of the last event of an evaluated period whose episode holds
 * one recorded (no lull since). The checkpoint adds these times to the key's, so a spray or a
 * pull is kept while it goes on, however long, not forgotten `recheckHours` + 2 hours after it
 * was raised and then sent again (detect-password-spray.ts, detect-bulk-exports.ts).
 */
export interface GoingOn {
  sprays: RaisedTimes;
  exports: RaisedTimes;
}

/** Adds every time of `more` to `times` (each once). */
export function addRaisedTimes(times: RaisedTimes, more: Readonly<RaisedTimes>): void {
  for (const [key, held] of Object.entries(more)) for (const atMs of held) addRaisedTime(times, key, atMs);
}

/**
 * Notes under `key` in `goingOn` the time of a group's last event of the view when it lies in the
 * period (from `fromMs`) and `goesOn` says its episode holds one recorded as raised (no lull
 * since): the spray or pull goes on, and its record is kept another run. Without it one lasting
 * past the hours the checkpoint keeps a record was sent again once the record was forgotten, as a
 * new one (detect-password-spray.ts, detect-bulk-exports.ts).
 */
export function noteGoingOn(
  goingOn: RaisedTimes | undefined,
  key: string,
  at: { lastMs: number; fromMs: number },
  goesOn: () => boolean,
): void {
  if (goingOn === undefined || at.lastMs < at.fromMs) return;
  if (goesOn()) addRaisedTime(goingOn, key, at.lastMs);
}

/**
 * What the alerts checkpoint records of a failed-login burst taken in (raised-bursts.ts keeps the
 * records; detect-failed-logins.ts reads them): the time of its raising failure, then the
 * addresses its window held when it was raised (`null`: no address recorded), by their key
 * (ip-network.ts, failureAddressKey) since 2026-12-05, as whole texts before.
 */
export type RaisedBurst = [raisedAtMs: number, ...ips: (string | null)[]];

/** {@link RaisedBurst}s by user key (detection.ts `userKey`). */
export type RaisedBursts = Record<string, RaisedBurst[]>;

/**
 * The `version` a stored JSON object declares when it is above `reads`, the one this code reads:
 * a newer release of this project wrote it (after an upgrade was rolled back, or while an older
 * copy of the CLI reads the lake). Its fields may mean anything, so the object's schema cannot
 * judge it, and calling it corrupt (with advice to delete it) would have the reader throw away
 * state the newer release still needs. Undefined for anything else (not JSON, no numeric version,
 * the version read or an older one): the schema then says what is wrong with it.
 */
export function newerVersionIn(body: Uint8Array, reads: number): number | undefined {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const { version } = json as { version?: unknown };
  return typeof version === 'number' && Number.isFinite(version) && version > reads ? version : undefined;
}

/**
 * What to say of an object {@link newerVersionIn} found newer: which release wrote it, and that
 * the fix is this code's update, not the object's. Both ways of running this code are named, since
 * the reader (the CLI or a deployed function) is not known here.
 */
export const newerVersionReason = (kind: string, version: number, reads: number): string =>
  `written by a newer version of domo-activity-lake (${kind} v${version}; this one reads v${reads}): ` +
  'update this one (git pull && npm ci, or deploy the newer release)';

/** An object {@link newerVersionIn} found newer, refused: callers tell it from a corrupt one by class. */
export class NewerVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NewerVersionError';
  }
}

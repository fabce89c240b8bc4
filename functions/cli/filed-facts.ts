import { resolve } from 'node:path';
import type { LakeSpec } from '../adapters/lake-location.ts';
import { versionLine } from './cli-version.ts';

/**
 * The facts every record filed beside an answer states alike (verify's check header, query's
 * provenance): when, by which build, of which lake, and over which hours. Kept in one place so
 * that the two records, handed over together, never name the same thing two ways.
 */

/** An instant as the records write it: UTC, ISO 8601. */
export const isoTime = (ms: number): string => new Date(ms).toISOString();

/** When a record was made and by which build (`domo-activity-lake <version>`, with its commit). */
export function madeAt(nowMs: number): { at: string; tool: string } {
  return { at: isoTime(nowMs), tool: versionLine() };
}

/** Hours as the records write them: ISO 8601 UTC, the end excluded. */
export interface IsoPeriod {
  from: string;
  to: string;
}

/** The hours from `fromMs` to `toMs`; null when either end is unknown. */
export function isoPeriod(fromMs: number | null, toMs: number | null): IsoPeriod | null {
  return fromMs === null || toMs === null ? null : { from: isoTime(fromMs), to: isoTime(toMs) };
}

/**
 * A lake as the records name it: a folder by its absolute path (a relative one, pasted in another
 * folder, names another lake), an S3 lake as given.
 */
export function lakeNamed(spec: LakeSpec, given: string): string {
  return spec.kind === 'fs' ? resolve(spec.dir) : given;
}

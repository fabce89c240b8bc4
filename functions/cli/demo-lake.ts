import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { lockState } from '../adapters/file-lock.ts';
import type { LakeSpec } from '../adapters/lake-location.ts';

/**
 * The file that marks a directory as the demo's own lake: the next `demo` run may replace it, and
 * no other directory is ever deleted. `ingest` refuses such a lake, because that replacement would
 * take whatever a real pull had added to it with it.
 */
export const DEMO_MARKER = '.domo-activity-lake-demo';

/**
 * The lock a running demo holds in its lake, beside the marker: two demos on one lake each cleared
 * and filled it under the other, and both printed summaries that contradicted themselves.
 */
export const DEMO_LOCK = `${DEMO_MARKER}.lock`;

/**
 * True when `dir` is a lake the demo built (and will replace): its marker is a regular file, as the
 * demo writes it. A link or a folder of that name is not one: a link would have the demo write its
 * marker through it, wherever it points, and either would have it empty a directory it never made.
 */
export const isDemoLake = (dir: string): boolean =>
  lstatSync(join(dir, DEMO_MARKER), { throwIfNoEntry: false })?.isFile() === true;

/** A lake target that is the demo's lake ({@link isDemoLake}); an S3 lake never is. */
export const isDemoLakeTarget = (spec: LakeSpec): boolean => spec.kind === 'fs' && isDemoLake(spec.dir);

/** What the demo's lake without any hour says, in `status` and `verify` alike. */
export const DEMO_STOPPED_FIRST =
  'the demo that built this lake stopped early, before it saved an hour: run the demo again to build it whole';

/** What the demo's lake without any hour says while a demo is still building it. */
export const DEMO_BUILDING = 'a demo is building this lake now: look again when it has ended';

/**
 * What `status` and `verify` say of a lake without any hour when the demo made it: building while
 * a demo holds it (its lock's owner runs, or cannot be checked: another machine, a lock not written
 * yet), else stopped early. Undefined for any other lake.
 */
export async function demoEmptyLakeNote(spec: LakeSpec): Promise<string | undefined> {
  if (!isDemoLakeTarget(spec) || spec.kind !== 'fs') return undefined;
  const lock = await lockState(join(spec.dir, DEMO_LOCK));
  return lock === 'alive' || lock === 'unknown' ? DEMO_BUILDING : DEMO_STOPPED_FIRST;
}

import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { LakeSpec } from '../adapters/lake-location.ts';

/**
 * The file that marks a directory as the demo's own lake: the next `demo` run may replace it, and
 * no other directory is ever deleted. `ingest` refuses such a lake, because that replacement would
 * take whatever a real pull had added to it with it.
 */
export const DEMO_MARKER = '.domo-activity-lake-demo';

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

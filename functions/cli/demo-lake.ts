import { lstatSync } from 'node:fs';
import { join } from 'node:path';

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

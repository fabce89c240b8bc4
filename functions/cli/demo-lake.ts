import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The file that marks a directory as the demo's own lake: the next `demo` run may replace it, and
 * no other directory is ever deleted. `ingest` refuses such a lake, because that replacement would
 * take whatever a real pull had added to it with it.
 */
export const DEMO_MARKER = '.domo-activity-lake-demo';

/** True when `dir` is a lake the demo built (and will replace). */
export const isDemoLake = (dir: string): boolean => existsSync(join(dir, DEMO_MARKER));

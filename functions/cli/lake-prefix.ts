import { LAKE_FOLDERS } from '../core/lake/layout.ts';
import type { ObjectStore } from '../core/ports.ts';

/**
 * How many keys judging a prefix reads: a few, in one small listing (S3's MaxKeys), so a run
 * into a new prefix waits one short request. Enough to show examples and to find a lake's keys
 * behind a note or two its owner put at the lake's root.
 */
export const PREFIX_SAMPLE_KEYS = 5;

/**
 * What an object-store prefix given as a lake holds, judged from its first
 * {@link PREFIX_SAMPLE_KEYS} keys before a command writes a lake into it:
 * - `empty`: no object, or only folder markers (the empty objects `prefix/`, `prefix/a/` that the
 *   S3 console's "Create folder" leaves), unless the sample held nothing else and may have been
 *   cut short by them;
 * - `lake`: one of them is a lake's: under a folder an ingest writes (`activity_log/`,
 *   `coverage/`, `quarantine/`, `state/`, `digest/`) or the deployed stack's report and alert
 *   functions write (`reports/`, `alerts/`, `alerts-state/`), inside an `instance=<name>/` folder;
 * - `other`: objects of something else, such as another application's data.
 * `found` lists the keys read (relative to the prefix, the folder marker left out), in order.
 */
interface LakePrefix {
  kind: 'empty' | 'lake' | 'other';
  found: string[];
}

export async function inspectLakePrefix(store: ObjectStore): Promise<LakePrefix> {
  const found: string[] = [];
  let read = 0;
  for await (const key of store.list('', { pageSize: PREFIX_SAMPLE_KEYS })) {
    if (key !== '') found.push(key);
    read += 1;
    // Stopping here is what keeps it to one request: the store would go on to the next page.
    if (read >= PREFIX_SAMPLE_KEYS) break;
  }
  if (found.some(isLakeKey)) return { kind: 'lake', found };
  const content = found.filter((key) => !key.endsWith('/'));
  // Folder markers alone are empty, if the sample was not cut short: more may follow them.
  if (content.length === 0 && read < PREFIX_SAMPLE_KEYS) return { kind: 'empty', found: [] };
  return { kind: 'other', found };
}

/**
 * True for a key of a lake: a top-level folder of {@link LAKE_FOLDERS}, then an `instance=<name>/`
 * folder (as on disk, an object merely named `instance=x` is not one). A project's
 * `state/session.json` or `coverage/lcov.info` is not a lake's.
 */
export function isLakeKey(key: string): boolean {
  const [folder, instance, ...rest] = key.split('/');
  return (
    folder !== undefined &&
    LAKE_FOLDERS.includes(folder) &&
    instance !== undefined &&
    /^instance=[^/]+$/.test(instance) &&
    rest.length > 0
  );
}

/** `a.json and b.csv`, or `a.json, b.csv and more`: the first keys found, for a message. */
export function exampleKeys(found: readonly string[], shown = 2): string {
  if (found.length <= 1) return found.join('');
  if (found.length <= shown) return `${found.slice(0, -1).join(', ')} and ${found.at(-1)}`;
  return `${found.slice(0, shown).join(', ')} and more`;
}

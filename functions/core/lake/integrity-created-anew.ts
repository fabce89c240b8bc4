/**
 * `removed`: an object the chain listed, created anew later. The ingest creates an object only where
 * none is and never deletes one, so only a removal outside it explains some of these.
 */
import type { ChainIndex } from './integrity-chain-index.ts';
import type { KeyHistory } from './integrity-key-history.ts';
import { digestKey } from './layout.ts';

/**
 * Where the versions of a key listed from `sha256` back began, following what recorded writes
 * replaced: the versions created (or adopted) there, and whether a version of unknown origin is
 * on the way (one no digest lists as written: a dead run's write, or a change outside the ingest).
 */
function rootsOf(history: KeyHistory, sha256: string): { created: Set<string>; unknown: boolean } {
  const created = new Set<string>();
  let unknown = false;
  const seen = new Set([sha256]);
  const next = [sha256];
  for (let at = next.pop(); at !== undefined; at = next.pop()) {
    const origins = history.origins.get(at);
    if (!origins) unknown = true;
    for (const origin of origins ?? []) {
      if (origin === null) created.add(at);
      else if (!seen.has(origin)) {
        seen.add(origin);
        next.push(origin);
      }
    }
  }
  return { created, unknown };
}

/** Whether the version listed before a create began in another create or adoption, not that one. */
const beganElsewhere = (history: KeyHistory, listed: string, created: string): boolean => {
  const roots = rootsOf(history, listed);
  return !roots.unknown && roots.created.size > 0 && !roots.created.has(created);
};

/**
 * Keys created anew after the chain listed them. The ingest creates an object only where none is
 * (create-only) and never deletes one, so a version listed before a create, that began in another
 * create (or the genesis adopted), was removed in between, outside the ingest. Versions that came
 * from the created one are not: runs that overlap list their writes out of order (the loser of a
 * create lists its write over the winner's version before the winner's digest lists the create).
 * Nor is one of unknown origin on the way back (a dead run's write, or a change outside the ingest,
 * already a finding of its own): whether it was there before the create cannot be told.
 */
export function judgeCreatedAnew(index: ChainIndex): void {
  for (const created of index.createdAnew) {
    const history = index.keys.get(created.key);
    if (!history) continue;
    // The same bytes created twice (a re-pull that wrote them again) is a removal all the same. Not
    // when one run lists its create twice: a digest that landed but whose answer was lost (the
    // retry's 412 reads as another run having taken its number) is appended again at the next one.
    const earlier = history.createdIn.get(created.sha256);
    const createdBefore =
      earlier !== undefined && earlier.sequence < created.sequence && earlier.runId !== created.runId;
    const removed =
      createdBefore || created.listedBefore.some((listed) => beganElsewhere(history, listed, created.sha256));
    if (!removed) continue;
    const instance = index.report.instance;
    index.problem(
      'removed',
      created.key,
      `listed since ${digestKey(instance, created.firstListed)}, then created anew (sha256 ${created.sha256.slice(0, 12)}…) by ${digestKey(instance, created.sequence)}: the ingest creates an object only where none is and never deletes one, so the version before was removed outside the ingest`,
      created.sha256,
    );
  }
}

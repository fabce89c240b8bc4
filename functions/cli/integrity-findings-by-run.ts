import { DEFAULT_API_BASE } from '../core/domo/api-base.ts';
import type { IntegrityProblem, OpenRunSpan } from '../core/lake/integrity-problem.ts';
import { visibleLine } from '../core/visible-line.ts';
import { hourFlag, type IngestTarget, shellWord } from './report-ingest-command.ts';
import { shownAndMore } from './shown-and-more.ts';

/** The keys listed under each run's explanation; `--json` lists every one. */
const KEYS_SHOWN = 10;

/** The findings one explanation covers: those of one kind that the same runs may explain. */
interface RunGroup {
  kind: IntegrityProblem['kind'];
  runs: OpenRunSpan[];
  problems: IntegrityProblem[];
  /** The noted head only digests after which claim the group's bytes for its runs (unvouched). */
  afterHead?: string;
}

/** Kinds whose findings name the runs that never sealed and may have left them. */
const GROUPED: ReadonlySet<IntegrityProblem['kind']> = new Set(['unvouched', 'changed', 'unlisted']);

/**
 * Findings of a run that died: one each, a dead re-pull of a week left a hundred lines repeating
 * the same 450 characters (review R-UPGRADE M1, L1). The findings that name the runs that may have
 * left them are grouped by those runs: the explanation once, then the keys, then how to check them
 * all at once (one scratch pull over the hours the runs pulled) and to accept them. The others are
 * returned as they were, one a line.
 */
export function findingsByRun(
  problems: readonly IntegrityProblem[],
  target: IngestTarget | undefined,
): { lines: string[]; others: IntegrityProblem[] } {
  const groups = new Map<string, RunGroup>();
  const others: IntegrityProblem[] = [];
  for (const problem of problems) {
    const runs = problem.runs ?? [];
    if (!GROUPED.has(problem.kind) || runs.length === 0) {
      others.push(problem);
      continue;
    }
    const afterHead = problem.claimedAfterNotedHead;
    const id = `${problem.kind}\n${afterHead ?? ''}\n${runs.map((run) => run.runId).join('\n')}`;
    const group = groups.get(id) ?? {
      kind: problem.kind,
      runs,
      problems: [],
      ...(afterHead === undefined ? {} : { afterHead }),
    };
    group.problems.push(problem);
    groups.set(id, group);
  }
  const lines = [...groups.values()].flatMap((group) => groupLines(group, target));
  if ([...groups.values()].some((group) => group.kind === 'unvouched')) lines.push(...acceptLines(target));
  return { lines, others };
}

const runName = (run: OpenRunSpan): string => `run ${visibleLine(run.runId)} (last digest ${run.digest})`;

const hoursOf = (run: OpenRunSpan): string =>
  `${run.fromMs === null ? 'any hour' : hourFlag(run.fromMs)} .. ${run.toMs === null ? 'no end' : hourFlag(run.toMs)}`;

function groupLines(group: RunGroup, target: IngestTarget | undefined): string[] {
  const runs = group.runs.map(runName).join(', ');
  const spans = group.runs.map(hoursOf).join(', ');
  const n = group.problems.length;
  const head =
    group.kind === 'unvouched'
      ? `  unvouched: ${n} version(s) that ${runs}, never sealed, may have written in the hours it pulled (${spans}); ${whyUnvouched(group)}, so a forgery in its hours looks the same. Check them all with one scratch pull of those hours and one comparison (docs/operations.md, "Bytes no digest vouches for"), then accept them:`
      : `  ${group.kind}: ${n} object(s) whose bytes no digest lists, of the hours that ${runs} pulled (${spans}): that run may have written them after its last digest, which is not sealed (the line on the last digest above says what to do):`;
  const { shown, more } = shownAndMore(group.problems, KEYS_SHOWN);
  const lines = [
    head,
    ...shown.map((p) => `    ${p.key}${p.sha256 ? ` (sha256 ${p.sha256.slice(0, 12)}…)` : ''}`),
  ];
  if (more > 0) lines.push(`    ... and ${more} more (--json lists them)`);
  if (group.kind === 'unvouched') lines.push(...scratchPullLines(group.runs, target));
  return lines;
}

/**
 * Why a group's bytes are no run's for sure: the run's release listed no write before making it,
 * or only digests after the noted head say the run may have (review R-UPGRADE3 M4: these were
 * "changed outside the ingest", false for a run killed after the head was noted).
 */
const whyUnvouched = (group: RunGroup): string =>
  group.afterHead === undefined
    ? 'its release listed no write before making it'
    : `only digests after the noted head ${group.afterHead} say so, and no checked signature vouches for them (the ingest's, killed after that head was noted, or a forger's)`;

/** The one scratch pull that covers the hours of a dead run, per run whose hours are known. */
function scratchPullLines(runs: readonly OpenRunSpan[], target: IngestTarget | undefined): string[] {
  const known = runs.filter(
    (run): run is OpenRunSpan & { fromMs: number; toMs: number } => run.fromMs !== null && run.toMs !== null,
  );
  if (known.length === 0) return [];
  const instance = target?.instance === undefined ? '' : ` --instance ${shellWord(target.instance)}`;
  return [
    '    the scratch pull of those hours (the same credentials; then compare by event as that section shows):',
    ...known.flatMap((run) => {
      const api = apiOption(run.apiBase);
      return [
        ...(api.caution === undefined ? [] : [api.caution]),
        `    ingest --lake ${shellWord(`/tmp/scratch-${run.runId}`)}${instance}${api.option} --from ${hourFlag(run.fromMs)} --to ${hourFlag(run.toMs)}`,
      ];
    }),
  ];
}

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/;

/**
 * The API the scratch pull reads: the one the run's digests say it read, so that a pull pasted on
 * a simulator or demo lake does not go to Domo (review R-EVIDENCE3 L3). Domo's own is the default.
 * Whoever signed wrote it, and the pull sends the credentials there: only this machine's loopback
 * is put in the command; any other is named above it, to add once known to be yours.
 */
function apiOption(apiBase: string | undefined): { option: string; caution?: string } {
  if (apiBase === undefined || apiBase === DEFAULT_API_BASE) return { option: '' };
  if (LOOPBACK.test(apiBase)) return { option: ` --api-base ${shellWord(apiBase)}` };
  return {
    option: '',
    caution: `    (its digests say it read ${visibleLine(apiBase)}, not Domo's API: whoever signed wrote that, and the pull sends your credentials to the API it reads; add --api-base with it only if that is your API)`,
  };
}

/**
 * What the round keeps of the report: the findings a dead run may explain, which the scratch pull
 * checks, and none other. The whole report accepted every finding of the check, a forgery the noted
 * head caught among them (review R-EVIDENCE3 H1).
 */
const DEAD_RUNS_ONLY = `jq '.integrity.problems |= map(select(.kind == "unvouched" and .runs != null))'`;

/**
 * The round that accepts checked findings: the report as JSON, its dead runs' findings kept, given
 * back to `--accept`; both commands with the options of the check that printed them.
 */
function acceptLines(target: IngestTarget | undefined): string[] {
  const lake = target ? ` --lake ${shellWord(target.lake)}` : '';
  const instance = target?.instance === undefined ? '' : ` --instance ${shellWord(target.instance)}`;
  const verify = `verify${lake}${instance} --integrity${target?.checkOptions ?? ''}`;
  const file = shellWord(target?.findingsFile ?? 'findings.json');
  return [
    "  once checked, accept them: keep this report's findings of those runs as JSON, then verify with them (the options of this check repeated; any other finding stays one):",
    `    ${verify} --json | ${DEAD_RUNS_ONLY} > ${file}`,
    `    ${verify} --accept ${file}`,
  ];
}

import type { StoredDigestRunner } from '../core/lake/digest-runner.ts';
import type { RunnerSeen } from '../core/lake/digest-runners-seen.ts';
import { visibleLine } from '../core/visible-line.ts';
import { shownAndMore } from './shown-and-more.ts';

const SHOWN_RUNNERS = 10;

/** What each trigger reads as. Another version's trigger is shown as written. */
const TRIGGERS: Record<string, string> = {
  schedule: "invoked with the schedule's event",
  invoke: 'invoked by hand',
  'invoke-re-pull': 'invoked with a re-pull',
  ingest: 'ingest from the checkpoint',
  'ingest-range': 'ingest --from/--to',
  enrich: 'enrich',
  demo: 'the demo',
};

/** A field of a stored runner, made one visible line (it is whatever the signer wrote). */
const shown = (value: unknown): string => {
  if (value === undefined) return '?';
  return visibleLine(typeof value === 'string' ? value : JSON.stringify(value));
};

function callerText(caller: StoredDigestRunner['caller']): string {
  if (caller.kind === 'lambda') return `function ${shown(caller.function_arn)}`;
  if (caller.kind === 'command-line')
    return `command line on host ${JSON.stringify(shown(caller.host))} as user ${JSON.stringify(shown(caller.user))} (self-reported)`;
  return `a runner of kind ${JSON.stringify(shown(caller.kind))}`;
}

/**
 * What the digests say of their runner. Digests that record none were dated as "of a version before
 * 2026-12-06": those after one that records a runner were written by an older version still in use,
 * or edited, and the label said they were old (review R-EVIDENCE3 M2). So no date, and those apart.
 */
function runnerText(seen: RunnerSeen): string {
  const { runner } = seen;
  if (runner === undefined) {
    return seen.afterRunnerAt === undefined
      ? 'no runner recorded (written by a version that recorded none)'
      : `no runner recorded, after ${seen.afterRunnerAt}, which recorded one (written by an older version or edited: only their Sign calls tell)`;
  }
  const trigger = TRIGGERS[runner.trigger] ?? shown(runner.trigger);
  const read = runner.api_base === undefined ? 'read no API' : `read ${shown(runner.api_base)}`;
  return `${callerText(runner.caller)}, ${trigger}, ${read}`;
}

/** Digests the key given did not sign, said first: the header's "whoever signed" is no one. */
const signedText = (seen: RunnerSeen): string =>
  seen.notSignedByKey ? "not signed by the key (what they say is anyone's): " : '';

/**
 * Who the digests say ran their runs, a line per runner: what a recipient checks against CloudTrail's
 * `Sign` events, every runner that is not the ingest function being a claim (docs/operations.md,
 * "Runs from the command line are claims to check"). The digest's signature covers it, but whoever
 * signed wrote it: the header says so, lest a line read as proof.
 */
export function runnerLines(runners: readonly RunnerSeen[] | undefined): string[] {
  if (runners === undefined || runners.length === 0) return [];
  const { shown: listed, more } = shownAndMore(runners, SHOWN_RUNNERS);
  return [
    `  runs, by what their digests say ran them (written by whoever signed: check each against the key's Sign events in CloudTrail; docs/operations.md, "Runs from the command line are claims to check"):`,
    ...listed.map(
      (r) =>
        `    ${r.digests} digest(s) of ${r.runs} run(s), ${r.firstDigest} .. ${r.lastDigest}: ${signedText(r)}${runnerText(r)}`,
    ),
    ...(more > 0 ? [`    and ${more} more runner(s) (--json lists them all)`] : []),
  ];
}

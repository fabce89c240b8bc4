import { OUTAGE_ANSWERS, OUTAGE_LATEST_END_MS, type Outage, type OutageAnswer } from '../simulator/index.ts';
import { parseDuration } from './options.ts';
import { UsageError } from './usage-error.ts';

/** `0`, `0s`: an outage from the start, which a duration (never 0) cannot say. */
const ZERO = /^0+\s*(ms|s|m|h)?$/;

/** One `--outage <start>/<duration>`: when after the simulator starts, and for how long. */
function parseOutage(value: string): Outage {
  const [start, duration, ...rest] = value.split('/');
  if (start === undefined || duration === undefined || rest.length > 0) {
    throw new UsageError(`--outage "${value}" must be <start>/<duration>, e.g. 30s/2m`);
  }
  const outage = {
    startMs: ZERO.test(start.trim()) ? 0 : parseDuration('--outage start', start),
    durationMs: parseDuration('--outage duration', duration),
  };
  if (outage.startMs + outage.durationMs > OUTAGE_LATEST_END_MS) {
    throw new UsageError(`--outage "${value}" must end within 24 days (576h) of the start`);
  }
  return outage;
}

/**
 * The outages of `--outage` (given once or more), in order; refused if two overlap, as the end of
 * the first would then switch the faults back in the middle of the second.
 */
export function parseOutages(values: readonly string[] | undefined): Outage[] {
  const outages = (values ?? []).map(parseOutage).sort((a, b) => a.startMs - b.startMs);
  outages.reduce((endMs, outage) => {
    if (outage.startMs < endMs)
      throw new UsageError('--outage: two outages overlap; give them one after another');
    return outage.startMs + outage.durationMs;
  }, 0);
  return outages;
}

/**
 * `--outage-answers`: how Domo answers while it is down, one answer for every outage or one per
 * outage in order of start (`5xx,hang,429`: down, then silent, then throttling as it comes back),
 * on one simulator: one restarted for each answer generates its entries anew, and they can differ. Returns
 * `outages`, each with its answer. Refused without an outage to answer in, which it would silently
 * leave unplayed: a rehearsal that never happens.
 */
export function parseOutageAnswers(value: string | undefined, outages: readonly Outage[]): Outage[] {
  if (value !== undefined && outages.length === 0) {
    throw new UsageError('--outage-answers needs --outage <start>/<duration>: when Domo is down');
  }
  const answers = (value ?? '5xx').split(',').map((answer) => answer.trim());
  const wrong = answers.find((answer) => !(OUTAGE_ANSWERS as readonly string[]).includes(answer));
  if (wrong !== undefined) {
    throw new UsageError(`--outage-answers must be one of ${OUTAGE_ANSWERS.join(', ')}, or a list of them`);
  }
  if (answers.length > 1 && answers.length !== outages.length) {
    throw new UsageError(
      `--outage-answers lists ${answers.length} answers for ${outages.length} outage(s): give one answer, or one per --outage in order of start`,
    );
  }
  return outages.map((outage, i) => ({ ...outage, answer: (answers[i] ?? answers[0]) as OutageAnswer }));
}

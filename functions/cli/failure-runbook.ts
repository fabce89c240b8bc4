import { GIVEN_UP } from '../core/domo/http-request.ts';
import { refusesCredentials } from '../core/domo/token-provider.ts';

/** The sentence's words before its first `cut`: what every wording of it begins with. */
const before = (sentence: string, cut: string): string => sentence.slice(0, sentence.indexOf(cut));

/**
 * How a request given up on a Domo that was down ends its failure (http-request.ts's sentences): a
 * 5xx, a hang, no way through, or 429s to every request for minutes. A run that failed so points to
 * the outage runbook: the Lag runbook it got before sent the reader after a fault in the deployment.
 */
const DOMO_DOWN = [
  before(GIVEN_UP.unavailable, ':'),
  GIVEN_UP.silent,
  before(GIVEN_UP.unreachable(''), ':'),
  before(GIVEN_UP.throttledAll(0), ' for '),
];

/**
 * The section of docs/operations.md (the start of its heading) for a run that failed with `failure` (the run record's first
 * failure), when the cause has one of its own: undefined for any other, whose caller's runbook fits.
 * Throttled without being refused everything: Domo let other requests through, so the runs after
 * catch up once it lets this one; the NoProgress runbook says when to change anything.
 */
export function failureRunbook(failure: string | null | undefined): string | undefined {
  if (!failure) return undefined;
  if (DOMO_DOWN.some((words) => failure.includes(words))) return 'Known Domo outage';
  if (refusesCredentials(failure)) return "One instance's credentials broken for a while";
  if (failure.includes(GIVEN_UP.throttled)) return 'NoProgress';
  return undefined;
}

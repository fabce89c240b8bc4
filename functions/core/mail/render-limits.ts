import { quotedPrintable } from '../quoted-printable.ts';

/**
 * Caps that keep every rendering of the report bounded in size whatever the week held. The list
 * caps are where a report starts; {@link renderReport} shrinks them ({@link shrinkListCaps}) while the HTML is over
 * {@link HTML_BUDGET_BYTES}, because escaping can multiply a clipped name's size by six (`"` is
 * `&quot;`) and encoding it for the mail by up to three more, so only the rendered and encoded bytes
 * can tell. The archived JSON keeps everything.
 */
export interface RenderLimits {
  /** Rows of the suspicious-logins list before "and N more". */
  readonly suspiciousLogins: number;
  /** Rows of the failed-logins-and-lockouts list before "and N more". */
  readonly failedLogins: number;
  /** Rows of the addresses that failed for many users before "and N more". */
  readonly failedAddresses: number;
  /** Rows of each top list (users, cards, pages): the report's `topN`, 10 unless set. */
  readonly topList: number;
  /** Rows of the logins-by-country list. */
  readonly countries: number;
  /** Characters of a name (user, card, page) before it is shortened. */
  readonly name: number;
  /** Characters of an id, IP address or network. */
  readonly id: number;
  /** Characters of an evidence sentence. */
  readonly evidence: number;
}

/** The caps a report starts from. */
export const RENDER_LIMITS: RenderLimits = {
  suspiciousLogins: 20,
  failedLogins: 20,
  failedAddresses: 10,
  topList: 10,
  countries: 10,
  name: 48,
  id: 40,
  evidence: 160,
};

/**
 * Largest HTML body a report may have, in bytes as sent ({@link encodedBytes}). Gmail clips a
 * message body at about 102 KB (hiding the rest behind "View entire message"), reportedly counted
 * on the encoded source; this leaves room for the MIME headers.
 */
export const HTML_BUDGET_BYTES = 100_000;

/**
 * The size of an HTML body as a mail carries it, quoted-printable (the file mailer's own encoder):
 * the decoded UTF-8 size undercounts it by ~8% for ASCII HTML (`=` is `=3D`) and up to threefold
 * for CJK (each byte is `=XX`). SES builds the MIME of Simple
 * content itself; quoted-printable is what mail software (and, by public reports of its raw
 * source, SES) uses for a text part, and the file mailer writes. Counting base64 as well would
 * hold every ASCII report to ~74 KB and drop suspicious logins from reports Gmail shows whole
 * (review R-S2, stop 48; docs/decisions.md).
 */
export const encodedBytes = (text: string): number => quotedPrintable(text).length;

/** The caps a report with top lists of `topN` rows starts from (`report --top`, the model's `topN`). */
export const startingLimits = (topN = RENDER_LIMITS.topList): RenderLimits => ({
  ...RENDER_LIMITS,
  topList: topN,
});

const half = (n: number) => Math.floor(n / 2);

/** A quarter of `n` rows, at least one: a list of 20 gives way 5, 4, 3, 2, 2, 1... rows a step. */
const lessBy = (n: number) => Math.max(0, n - Math.max(1, Math.ceil(n / 4)));

/**
 * Smaller limits for a report over its budget, or undefined when all lists are empty already; the
 * report is rendered again after each step, so the lists lose only the rows the budget needs.
 * Top lists asked longer than {@link RENDER_LIMITS} shrink alone first, down to that length. Then
 * the lists of activity give way a row at a time down to half their rows, the security lists
 * keeping theirs: a week of long non-Latin names over the budget by 500 bytes lost half its
 * suspicious logins when every list was halved at once (review R-SFU, stop 52). Then the
 * suspicious and failed logins (users and addresses) shrink a quarter at a time, and last the
 * activity lists are halved
 * to nothing, so the bound always holds.
 */
export function shrinkListCaps(limits: RenderLimits): RenderLimits | undefined {
  const { suspiciousLogins, failedLogins, failedAddresses, topList, countries } = limits;
  if (topList > RENDER_LIMITS.topList) {
    return { ...limits, topList: Math.max(RENDER_LIMITS.topList, half(topList)) };
  }
  const topFloor = half(RENDER_LIMITS.topList);
  const countriesFloor = half(RENDER_LIMITS.countries);
  if (topList > topFloor || countries > countriesFloor) {
    return {
      ...limits,
      topList: Math.max(Math.min(topList, topFloor), topList - 1),
      countries: Math.max(Math.min(countries, countriesFloor), countries - 1),
    };
  }
  if (suspiciousLogins > 0 || failedLogins > 0 || failedAddresses > 0) {
    return {
      ...limits,
      suspiciousLogins: lessBy(suspiciousLogins),
      failedLogins: lessBy(failedLogins),
      failedAddresses: lessBy(failedAddresses),
    };
  }
  if (topList === 0 && countries === 0) return undefined;
  return { ...limits, topList: half(topList), countries: half(countries) };
}

/** The first `cap` items and how many were left out. */
export const capped = <T>(items: readonly T[], cap: number): { shown: readonly T[]; more: number } => ({
  shown: items.slice(0, cap),
  more: Math.max(0, items.length - cap),
});

import { quotedPrintable } from '../quoted-printable.ts';

/**
 * Caps that keep every rendering of the report bounded in size whatever the week held. The list
 * caps are where a report starts; {@link renderReport} halves them while the HTML is over
 * {@link HTML_BUDGET_BYTES}, because escaping can multiply a clipped name's size by six (`"` is
 * `&quot;`) and encoding it for the mail by up to three more, so only the rendered and encoded bytes
 * can tell. The archived JSON keeps everything.
 */
export interface RenderLimits {
  /** Rows of the suspicious-logins list before "and N more". */
  readonly suspiciousLogins: number;
  /** Rows of the failed-logins-and-lockouts list before "and N more". */
  readonly failedLogins: number;
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

/**
 * Smaller limits for a report over its budget, or undefined when all lists are empty already. Top
 * lists asked longer than {@link RENDER_LIMITS} shrink alone first, down to that length: a long
 * top list must not cost rows of the suspicious or failed logins. Then every list cap is halved
 * (rounded down).
 */
export function halveListCaps(limits: RenderLimits): RenderLimits | undefined {
  if (limits.topList > RENDER_LIMITS.topList) {
    return { ...limits, topList: Math.max(RENDER_LIMITS.topList, half(limits.topList)) };
  }
  const { suspiciousLogins, failedLogins, topList, countries } = limits;
  if (suspiciousLogins === 0 && failedLogins === 0 && topList === 0 && countries === 0) return undefined;
  return {
    ...limits,
    suspiciousLogins: half(suspiciousLogins),
    failedLogins: half(failedLogins),
    topList: half(topList),
    countries: half(countries),
  };
}

/** The first `cap` items and how many were left out. */
export const capped = <T>(items: readonly T[], cap: number): { shown: readonly T[]; more: number } => ({
  shown: items.slice(0, cap),
  more: Math.max(0, items.length - cap),
});

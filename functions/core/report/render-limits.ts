/**
 * Caps that keep every rendering of the report bounded in size whatever the week held. The list
 * caps are where a report starts; {@link renderReport} halves them while the HTML is over
 * {@link HTML_BUDGET_BYTES}, because escaping can multiply a clipped name's size by six (`"` is
 * `&quot;`), so only the rendered bytes can tell. The archived JSON keeps everything.
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
 * Largest HTML body, in UTF-8 bytes, a report may have. Gmail clips a message body at about
 * 102 KB (hiding the rest behind "View entire message"); this leaves room for the MIME headers.
 */
export const HTML_BUDGET_BYTES = 100_000;

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

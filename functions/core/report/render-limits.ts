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
  /** Rows of each top list (users, cards, pages). */
  readonly topList: number;
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
  name: 48,
  id: 40,
  evidence: 160,
};

/**
 * Largest HTML body, in UTF-8 bytes, a report may have. Gmail clips a message body at about
 * 102 KB (hiding the rest behind "View entire message"); this leaves room for the MIME headers.
 */
export const HTML_BUDGET_BYTES = 100_000;

/** The same limits with every list cap halved (rounded down), or undefined when all lists are empty already. */
export function halveListCaps(limits: RenderLimits): RenderLimits | undefined {
  if (limits.suspiciousLogins === 0 && limits.failedLogins === 0 && limits.topList === 0) return undefined;
  const half = (n: number) => Math.floor(n / 2);
  return {
    ...limits,
    suspiciousLogins: half(limits.suspiciousLogins),
    failedLogins: half(limits.failedLogins),
    topList: half(limits.topList),
  };
}

/** The first `cap` items and how many were left out. */
export const capped = <T>(items: readonly T[], cap: number): { shown: readonly T[]; more: number } => ({
  shown: items.slice(0, cap),
  more: Math.max(0, items.length - cap),
});

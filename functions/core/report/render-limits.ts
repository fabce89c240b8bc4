/**
 * Caps that keep every rendering of the report bounded in size whatever the week held, so the HTML
 * stays under Gmail's ~102 KB clipping limit by construction. The archived JSON keeps everything.
 */
export const RENDER_LIMITS = {
  /** Rows of the suspicious-logins list before "and N more". */
  suspiciousLogins: 20,
  /** Rows of the failed-logins-and-lockouts list before "and N more". */
  failedLogins: 20,
  /** Rows of each top list (users, cards, pages). */
  topList: 10,
  /** Characters of a name (user, card, page) before it is shortened. */
  name: 48,
  /** Characters of an id, IP address or network. */
  id: 40,
  /** Characters of an evidence sentence. */
  evidence: 160,
} as const;

/** The first `cap` items and how many were left out. */
export const capped = <T>(items: readonly T[], cap: number): { shown: readonly T[]; more: number } => ({
  shown: items.slice(0, cap),
  more: Math.max(0, items.length - cap),
});

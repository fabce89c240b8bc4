/**
 * The categories the category rules sort Domo's entries into (category-rules.ts) and the lake's
 * records store in their `category` column: defined here, beside the rules, so the lake reads
 * them from below rather than the rules reaching up into the lake.
 */
export const EVENT_CATEGORIES = ['login', 'login_failed', 'lockout', 'logout', 'other'] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

/**
 * Groups quarantine reasons by their wording, without the quoted values and times that make each
 * one unique.
 */
export const reasonKind = (reason: string): string =>
  reason
    .replace(/"[^"]*"/g, '"…"')
    // A word, not an ellipsis: 'range A..B' must not read 'range …..…'.
    .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}/g, '<time>')
    .replace(/\b\d{5,}\b/g, 'N');

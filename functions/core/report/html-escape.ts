const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and quoted attribute values. Every string that reaches the
 * report HTML from Domo (names, ids, IPs, evidence) or from configuration goes through this one
 * function. Control characters other than tab and newline are dropped: they have no business in a
 * mail and some clients choke on them.
 */
export const esc = (text: string | number | null | undefined): string =>
  String(text ?? '')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

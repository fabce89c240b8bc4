import { visibleText } from '../visible-text.ts';

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
 * function. It first reduces the text to {@link visibleText} (the same cleaning as the text part),
 * with every line break a `\n`: control characters and bidi overrides have no business in a mail,
 * some clients choke on the former and the latter can disguise one name as another.
 */
export const esc = (text: string | number | null | undefined): string =>
  // A CR, alone or before LF, becomes LF: SES's Simple content takes the HTML as it is, and a bare
  // CR there breaks the rule that a mail's lines end in CRLF.
  visibleText(String(text ?? '').replace(/\r\n?/g, '\n')).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

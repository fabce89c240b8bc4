import { readFileSync } from 'node:fs';

/**
 * The headings of a markdown file under docs/, as a reader sees them (no `#`, no code marks),
 * fenced code left out: what an alarm's description or a command's runbook line quotes.
 */
export function docHeadings(file: string): string[] {
  const text = readFileSync(new URL(`../../docs/${file}`, import.meta.url), 'utf8');
  const headings: string[] = [];
  let fenced = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.+)$/.exec(line);
    if (heading?.[1]) headings.push(heading[1].replaceAll('`', '').trim());
  }
  return headings;
}

/**
 * The anchor GitHub gives a heading: its text without code marks, lower-cased, every character but
 * letters, digits, spaces, `-` and `_` dropped, spaces made hyphens (a repeated heading gets `-1`,
 * `-2`... after it: the caller counts those).
 */
export const slugOf = (heading: string): string =>
  heading
    .replaceAll('`', '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

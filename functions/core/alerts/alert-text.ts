/** A message's text part: the same as the HTML, wrapped to the weekly report's width. */
import { TEXT_WIDTH } from '../mail/text-width.ts';
import { wrapNote } from '../wrap-note.ts';
import type { AlertMessageOptions } from './alert-message-options.ts';
import { row } from './alert-row.ts';
import { CARD_ORDER_WORDS, type Cards } from './card-order.ts';
import { IN_ATHENA } from './dig-further.ts';
import { digIntro } from './dig-intro.ts';
import type { Note } from './message-note.ts';
import { REPEATED_ROW, repeatedIds } from './repeat-note.ts';

/**
 * A sentence of the text part at most {@link TEXT_WIDTH} columns wide, as the weekly report's text
 * part wraps its own (render-text.ts says why): a mail client shows text/plain as it is, and an
 * evidence or a note ran to 300 columns. Its lines keep its indentation, the rest of an alert's
 * first line under it by two more (it would read as the next alert's otherwise).
 */
const textLines = (text: string, indent = 0): string[] => wrapNote(text, TEXT_WIDTH, { indent });

/**
 * An alert's first line, `2026-11-25 12:05  lockout: Wei Kaur (1227901334)`: the wrap joins words
 * by one space, so a heading too long for a line lost the two that set the time apart, and read
 * `12:05 login after impossible travel: …` beside the others (review R-PHONE2). Wrapped a column
 * short, so the space put back keeps the line within the width.
 */
function headingLines(when: string, rest: string): string[] {
  const [first = '', ...more] = wrapNote(`${when} ${rest}`, TEXT_WIDTH - 1, { indent: 2 });
  return [`${when}  ${first.slice(when.length + 1)}`, ...more];
}

/** A note's lines in the text part: its sentence wrapped, its copy on a line of its own, a blank. */
const noteLines = (note: Note): string[] => [
  ...textLines(note.text),
  ...(note.copy === undefined ? [] : [note.copy]),
  '',
];

export function textOf(
  cards: Cards,
  notes: { above: readonly Note[]; below: readonly Note[] },
  query: string,
  options: AlertMessageOptions,
  repeat: Note | undefined,
): string {
  const lines = [
    // First: a reader (or a filter) deciding whether this is news sees it before anything else.
    ...(repeat === undefined ? [] : noteLines(repeat)),
    ...textLines(
      `Security alerts for the Domo instance ${options.instance}, ${CARD_ORDER_WORDS} (times in ${options.timeZone}).`,
    ),
    '',
    ...(cards.count === undefined ? [] : [...textLines(cards.count), '']),
    ...notes.above.flatMap(noteLines),
  ];
  const again = repeatedIds(options);
  for (const alert of cards.listed) {
    const r = row(alert, options);
    const mark = again.has(alert.id) ? ` (${REPEATED_ROW})` : '';
    lines.push(
      ...headingLines(r.when, `${r.what}: ${r.user}`),
      ...(r.late === undefined ? [] : textLines(`  ${r.late}.`)),
      ...textLines(`  ${r.evidence}`),
      ...textLines(`  IP: ${r.ip}; alert ${alert.id}${mark}`),
      '',
    );
  }
  lines.push(...notes.below.flatMap(noteLines));
  const dig = options.digFurther ?? IN_ATHENA;
  // The query stays as it is: its lines are for copying, into a shell or Athena's editor.
  lines.push(...textLines(digIntro(dig, options)), '', dig.copy(query), '');
  return lines.join('\n');
}

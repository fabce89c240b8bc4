/**
 * The "Needs attention" block of the report's HTML (attention.ts), under the first line and above
 * the figures: the week's findings numbered, gravest first, then the commands to copy that dig into
 * them, by number (html-dig-line.ts); a quiet week's one line; nothing for a week with no data. A sentence's words
 * are on lines of the HTML of their own (white space the cell shows as one space): a line of the
 * HTML holds at most one clipped, escaped Domo string, within the 998 octets of a mail's line.
 */
import { esc } from '../mail/html-escape.ts';
import type { RenderLimits } from '../mail/render-limits.ts';
import {
  ATTENTION_COMMANDS,
  ATTENTION_HEADING,
  attentionCommands,
  attentionItems,
  attentionLine,
  commandLabel,
  quietAttention,
} from './attention.ts';
import { commandRow } from './html-dig-line.ts';
import { asideLine, sectionBody, sectionTitle } from './html-section.ts';
import { FONT, INK, MUTED, WRAP } from './html-style.ts';
import type { WeeklyReportModel } from './report-model.ts';

export function attentionSection(model: WeeklyReportModel, limits: RenderLimits): string {
  const items = attentionItems(model, limits);
  const quiet = quietAttention(model, items);
  if (quiet !== undefined) {
    return `<tr><td class="pad" style="padding:8px 12px 0;${FONT}font-size:13px;color:${MUTED};${WRAP}">${esc(quiet)}</td></tr>\n`;
  }
  if (items.length === 0) return '';
  const findings = items
    .map(
      (item, i) =>
        `\n<tr><td style="${FONT}font-size:13px;color:${INK};padding:6px 0 2px;${WRAP}"><b>${i + 1}.</b>\n${attentionLine(item).split(' ').map(esc).join('\n')}</td></tr>`,
    )
    .join('');
  const commands = attentionCommands(items);
  const rows =
    commands.length === 0
      ? findings
      : `${findings}${asideLine(ATTENTION_COMMANDS)}${commands
          .map(
            ({ numbers, command }) =>
              `\n<tr><td style="${FONT}font-size:12px;font-weight:bold;color:${INK};padding:6px 0 2px;">${esc(commandLabel(numbers))}</td></tr>${commandRow(command)}`,
          )
          .join('')}`;
  return `${sectionTitle(ATTENTION_HEADING, 'attention', 'Gravest first; the sections below list every finding.')}${sectionBody(rows)}\n`;
}

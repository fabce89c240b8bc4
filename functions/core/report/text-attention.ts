import type { RenderLimits } from '../mail/render-limits.ts';
import { TEXT_WIDTH } from '../mail/text-width.ts';
import { wrapNote } from '../wrap-note.ts';
import {
  ATTENTION_COMMANDS,
  ATTENTION_HEADING,
  attentionCommands,
  attentionItems,
  attentionLine,
  commandLabel,
  quietAttention,
} from './attention.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { commandLines } from './text-dig-line.ts';
import { heading, prose } from './text-prose.ts';

/**
 * The "Needs attention" block of the text part (attention.ts): the week's findings numbered, gravest
 * first, then the commands that dig into them, by number, on shell lines of their own; a quiet week's one line; nothing for a week
 * with no data.
 */
export function attentionLines(model: WeeklyReportModel, limits: RenderLimits): string[] {
  const items = attentionItems(model, limits);
  const quiet = quietAttention(model, items);
  if (quiet !== undefined) return ['', ...prose(quiet)];
  if (items.length === 0) return [];
  const out = heading(ATTENTION_HEADING);
  items.forEach((item, i) => {
    out.push(...wrapNote(`${i + 1}. ${attentionLine(item)}`, TEXT_WIDTH, { indent: 3 }));
  });
  const commands = attentionCommands(items);
  if (commands.length > 0) out.push('', ...prose(ATTENTION_COMMANDS));
  for (const { numbers, command } of commands) {
    out.push(commandLabel(numbers), ...commandLines(command).map((line) => ` ${line}`));
  }
  return out;
}

/**
 * The command the report's text part prints on shell lines (text-dig-line.ts), joined as a shell
 * joins lines ending in ` \`: from the first line `isStart` matches, trimmed; empty when none does.
 */
export function textCommand(text: string, isStart: (line: string) => boolean): string {
  const lines = text.split('\n');
  const at = lines.findIndex(isStart);
  if (at === -1) return '';
  const parts: string[] = [];
  for (let i = at; i < lines.length; i++) {
    const line = lines[i] ?? '';
    parts.push(line.replace(/ \\$/, '').trim());
    if (!line.endsWith(' \\')) break;
  }
  return parts.join(' ');
}

import { displayWidth } from '../display-width.ts';
import { TEXT_WIDTH } from '../mail/text-width.ts';
import { columns } from './text-columns.ts';

/**
 * A suspicious login's first line, `Mon 23 Nov 16:08  Wei Euler (1039710626)  unusual hour  IP
 * 1.120.234.216`; its IP on a line of its own, under it as the place is, when the line would pass
 * {@link TEXT_WIDTH}: an IPv6 address or a long reason made it 80 to 96 columns, which a mail client
 * showing text/plain as it is breaks anywhere (review R-PHONE2).
 */
export function suspiciousHead(cells: string[], ip: string): string[] {
  const line = columns([[...cells, ip]], 'llll');
  if (line.every((l) => displayWidth(l) <= TEXT_WIDTH)) return line;
  return [...columns([cells], 'lll'), `    ${ip}`];
}

/**
 * A name escaped for HTML, keeping the left-to-right mark after a right-to-left name
 * ({@link endingLeftToRight}) as `&lrm;`: {@link esc} removes every direction mark, as a Domo
 * string's must be, and without it a browser showed the id after a Hebrew name before it, its
 * brackets turned round. The weekly report's names and the alerts mail's users share it. The
 * name itself holds no other mark (its own were removed with {@link visibleText}).
 */
import { LEFT_TO_RIGHT_MARK } from '../display-width.ts';
import { esc } from './html-escape.ts';

export const escName = (name: string): string => name.split(LEFT_TO_RIGHT_MARK).map(esc).join('&lrm;');

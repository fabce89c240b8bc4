/**
 * A JSON file an option names (`--expected`, `--category-rules`), read as the option's value: one
 * reader, so each file option reads the same JSON (both strip the byte order mark now: only
 * `--expected` did, review R-MUTE5 L7). Throws what is wrong, for `optionValue` to name the flag.
 */
import { readFileSync } from 'node:fs';
import { errorMessage } from '../core/error-message.ts';

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the file (${(error as NodeJS.ErrnoException).code})`);
  }
  try {
    // Editors on Windows save UTF-8 with a byte order mark, which JSON.parse refuses.
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`not valid JSON (${errorMessage(error)})`);
  }
}

/**
 * Command lines the CLI prints for a reader to run next (a fix, a pull, a listing). They start
 * with `npx domo-activity-lake`: it works in a checkout, from any directory below it, and wherever
 * the package is installed, and keeps the reader's directory, so a relative `--lake` means what it
 * meant when printed (`npm run cli` runs in the project's root instead; a bare
 * `domo-activity-lake` exists only once the package is installed globally).
 */
export const CLI_COMMAND = 'npx domo-activity-lake';

/**
 * An argument as a shell reads it back: bare when it holds only plain path characters, else in
 * single quotes; text with quotes of its own (SQL literals) goes in double quotes when nothing in it
 * is special there (`$`, backquote, backslash, `"`, and `!` for an interactive bash), as
 * `'\''` for each quote is hard to read.
 */
export const shellWord = (text: string): string => {
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  if (!text.includes("'")) return `'${text}'`;
  if (!/[$`\\"!]/.test(text)) return `"${text}"`;
  return `'${text.replaceAll("'", "'\\''")}'`;
};

/** `npx domo-activity-lake <words>`, each word quoted for the shell as needed. */
export const commandLine = (words: readonly string[]): string =>
  `${CLI_COMMAND} ${words.map(shellWord).join(' ')}`;

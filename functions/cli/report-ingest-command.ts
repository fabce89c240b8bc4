/** A whole hour as `--from`/`--to` take it, without milliseconds: `2026-10-01T13:00:00Z`. */
export const hourFlag = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * Where the commands the report prints pull into: the lake as verify was given it, and the
 * instance when the lake holds more than one or it was named. A bare command pulled into ./lake of
 * wherever it was pasted, from the default API, and was refused on a lake of two instances.
 */
export interface IngestTarget {
  lake: string;
  instance?: string;
}

/** `value` as one word of a POSIX shell: as it is when nothing in it is special, else in single quotes. */
export const shellWord = (value: string): string =>
  /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;

/**
 * A command of the report on a line of its own, indented under its sentence: printed whole at any
 * terminal width ({@link isCommandLine}), so that a paste runs it as printed. A command wrapped
 * inside a quoted path ran with the path cut in two, and made a lake there.
 */
export const commandLine = (command: string): string => `${COMMAND_INDENT}${command}`;
const COMMAND_INDENT = '    ';
export const isCommandLine = (line: string): boolean =>
  line.startsWith(`${COMMAND_INDENT}ingest `) || line.startsWith(`${COMMAND_INDENT}verify `);

/**
 * The ingest of `range` as a line to paste: every command the report prints is built here, so each
 * names the lake (and instance) verified. Without a target (reports built by other callers), bare.
 */
export const ingestCommand = (
  range: { fromMs: number; toMs: number },
  target: IngestTarget | undefined,
): string => {
  const lake = target ? ` --lake ${shellWord(target.lake)}` : '';
  const instance = target?.instance === undefined ? '' : ` --instance ${shellWord(target.instance)}`;
  return `ingest${lake}${instance} --from ${hourFlag(range.fromMs)} --to ${hourFlag(range.toMs)}`;
};

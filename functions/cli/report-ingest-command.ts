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
  /**
   * The options of the check that printed the report, as shell words (` --expect-head …`, …): the
   * round that accepts its findings repeats them. Without them the pasted round ran a weaker check
   * than the one that failed, and said OK on a lake that check had caught (review R-EVIDENCE3 H1).
   */
  checkOptions?: string;
  /** Where the accept round keeps the report: not a file the check accepted, which `>` would empty first. */
  findingsFile?: string;
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

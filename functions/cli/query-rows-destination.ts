import { resolve } from 'node:path';
import { writeFileWhole } from './atomic-file.ts';
import type { CommandIo } from './command-io.ts';
import type { EngineValues } from './engine-target.ts';
import { assertProvenanceApart, outOption } from './query-out.ts';
import { provenanceOption } from './query-provenance.ts';
import { terminalWidth } from './terminal-table.ts';

/**
 * Where the rows go, checked before any lake or engine is opened: the `--out` file or stdout, and
 * the provenance file apart from them. `width`: a table's, a terminal's or, in a file, unbounded.
 */
export function rowsDestination(
  values: EngineValues & { out?: string; force?: boolean; provenance?: string },
  io: CommandIo,
): { out: string | undefined; provenance: string | undefined; width: number } {
  const out = outOption(values);
  assertProvenanceApart(values.provenance, { out, stdout: io.stdout });
  const provenance = provenanceOption(values);
  return { out, provenance, width: out === undefined ? terminalWidth(io.stdout) : Number.POSITIVE_INFINITY };
}

/** Writes the rows where they go: the `--out` file whole, or stdout; returns the file, absolute. */
export function emitRows(io: CommandIo, out: string | undefined, text: string): string | undefined {
  if (out === undefined) {
    io.stdout.write(text);
    return undefined;
  }
  writeFileWhole(out, text);
  return resolve(out);
}

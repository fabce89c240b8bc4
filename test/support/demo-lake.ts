import { PassThrough } from 'node:stream';
import type { CommandIo } from '../../functions/cli/command-io.ts';
import { demoCommand } from '../../functions/cli/commands/demo.ts';
import { silentLog } from '../../functions/core/ports.ts';

/** What the demo's stdout throws at its ingest's line: the lake is built (see {@link demoLake}). */
class LakeBuilt extends Error {}

/**
 * Builds the demo's lake as `demo <args>` does, and ends the demo at the line its ingest prints,
 * for the tests that read that lake only. The lake is whole by then: the demo's steps after that
 * (verify, the report and the alerts, into its --out) read the lake and write nothing into it (the
 * alerts run on an overlay); a default demo run to its end left the same files, byte for byte, bar
 * its lock, which it releases either way, and demo-verify-simulate.test.ts ("ends with last week's
 * report") checks that its lake is as its ingest's line found it. Those steps are that file's
 * subject (and half of a default demo's ~18 CPU-s). A demo that prints no such line runs to its end.
 * What it wrote to stdout before that line is returned.
 */
export async function demoLake(
  args: readonly string[],
  io: Omit<CommandIo, 'stdout' | 'log'>,
): Promise<string> {
  const stdout = new PassThrough();
  const write = stdout.write.bind(stdout) as (chunk: string) => boolean;
  let written = '';
  stdout.write = ((chunk: string) => {
    if (String(chunk).startsWith('ingest ')) throw new LakeBuilt();
    written += String(chunk);
    return write(chunk);
  }) as typeof stdout.write;
  // Read as it is written, as a terminal would.
  stdout.resume();
  await demoCommand(args, { ...io, stdout, log: silentLog }).catch((error: unknown) => {
    if (!(error instanceof LakeBuilt)) throw error;
  });
  return written;
}

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorMessage } from '../core/error-message.ts';
import type { CommandIo } from './command-io.ts';
import { shellWord } from './command-line.ts';
import { UsageError } from './usage-error.ts';

/** All of a stream, as UTF-8 text. */
async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The SQL of `--sql-file`: the file's text, or stdin's for `-`. A file is what keeps a literal the
 * user searches for (an old client secret, docs/ingest.md) out of shell history and of the
 * process's arguments, which every user of the machine can read (`ps`) while the query runs.
 */
export async function sqlFromFile(file: string, io: CommandIo): Promise<string> {
  if (file === '-') {
    const stdin = io.stdin ?? process.stdin;
    if ((stdin as { isTTY?: boolean }).isTTY) {
      io.stderr.write('query: reading the SQL from stdin: end it with Ctrl-D\n');
    }
    return readAll(stdin);
  }
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? errorMessage(error);
    throw new UsageError(`--sql-file ${shellWord(file)}: cannot read the file (${code}) at ${resolve(file)}`);
  }
}

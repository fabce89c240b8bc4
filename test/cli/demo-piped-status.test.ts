import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCommand } from '../../functions/cli/commands/demo.ts';
import { silentLog } from '../../functions/core/ports.ts';

/**
 * `demo | tee out.txt`: stderr is the terminal, stdout a pipe. The lines the steps print reach the
 * screen through tee, after the next step's status line (or the ingest's progress line) is drawn
 * on stderr, and land on it; so with stdout piped neither line is drawn. With --json nothing is
 * printed until the end, and the lines stay.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-demo-piped-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What a demo wrote to a terminal's stderr while its stdout went to a pipe. */
async function pipedDemo(name: string, extra: string[] = []): Promise<string> {
  const written: string[] = [];
  const stderr = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        written.push(String(chunk));
        done();
      },
    }),
    { isTTY: true, columns: 80 },
  ) as unknown as NodeJS.WriteStream;
  const stdout = new PassThrough().resume();
  // The smallest demo with every step: a day of two people.
  const args = ['--lake', join(dir, name, 'lake'), '--days', '1', '--users', '2', ...extra];
  await demoCommand(args, { stdout, stderr, env: {}, log: silentLog });
  return written.join('');
}

describe('demo with its stdout piped', () => {
  it('draws no step or progress line on the terminal', async () => {
    expect(await pipedDemo('table')).toBe('');
  });

  it('with --json, which prints only at the end, still says what each step does', async () => {
    const shown = await pipedDemo('json', ['--json']);
    expect(shown).toContain('\rdemo: verifying the lake...');
    expect(shown).toMatch(/\rdemo ingest: \d+\/\d+ hours/);
  });
});

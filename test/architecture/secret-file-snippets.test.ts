import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The documented way to put the client secret into Secrets Manager (README step 4, the rotation in
 * docs/operations.md): its lines from the subshell's `(umask 077` to the `aws` call, unindented.
 */
function snippet(doc: string): string {
  const text = readFileSync(join(ROOT, doc), 'utf8');
  const start = text.search(/^ *\(umask 077; f=\$\(mktemp\)/m);
  const end = text.indexOf('```', start);
  if (start === -1 || end === -1) throw new Error(`${doc}: the secret snippet is gone`);
  const lines = text.slice(start, end).trimEnd().split('\n');
  const indent = /^ */.exec(lines[0] ?? '')?.[0].length ?? 0;
  return lines.map((line) => line.slice(indent)).join('\n');
}

/**
 * A stand-in for the AWS CLI: notes the file it was handed, with what it holds. It is defined in
 * the script bash runs, ahead of the snippet: a function defined there comes before any command
 * looked up. Handed over through BASH_ENV (and before that, a script first on PATH), runs of this
 * file beside others now and then ran the machine's real AWS CLI instead ("You must specify a
 * region"), a cause never found; a definition in the script itself leaves nothing to look up.
 */
const AWS_STAND_IN =
  'aws() { local f="${@: -1}"; f="${f#file://}"; echo "aws got $(cat "$f")" >> "$AWS_LOG"; }';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'secret-snippet-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The JSON a user pastes. */
const PASTED = '{"clientId":"abc","clientSecret":"FAKE-SECRET-123"}\n';

/** Whether the snippet's temporary file in `scratch` holds the whole paste: `cat` has read it. */
async function pasted(scratch: string): Promise<boolean> {
  const [file, ...more] = await readdir(scratch);
  return file !== undefined && more.length === 0 && (await readFile(join(scratch, file), 'utf8')) === PASTED;
}

/**
 * Runs the snippet in bash, in a process group of its own as a terminal's job is, its temporary
 * files in a folder of their own; `interrupt` sends SIGINT to the group (Ctrl-C) once the pasted
 * JSON is in the file, while `cat` still waits for more.
 */
async function runSnippet(doc: string, name: string, interrupt: boolean) {
  const scratch = join(dir, name);
  const log = join(dir, `${name}.log`);
  await mkdir(scratch);
  await writeFile(log, '');
  const script = `${AWS_STAND_IN}\n${snippet(doc).replace('<mainSecretId output>', 'mainSecretX')}`;
  const child = spawn('bash', ['-c', script], {
    detached: true,
    env: { ...process.env, TMPDIR: scratch, AWS_LOG: log },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  // What bash said, for a failure's message.
  const said: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => said.push(chunk));
  const ended = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  child.stdin.write(PASTED);
  if (interrupt) {
    // Not as soon as the file exists: mktemp makes it before the subshell has set its traps (it
    // still reads mktemp's output, waits for it, assigns f). Under load a signal sent then (even
    // 100 ms later) killed the subshell with no trap set, and the file was left. The paste in the
    // file means cat runs, the traps set before it: a user's Ctrl-C instead of Ctrl-D.
    for (let i = 0; !(await pasted(scratch)); i++) {
      if (i > 3000) throw new Error('the snippet never wrote the paste to a temporary file');
      await new Promise((r) => setTimeout(r, 10));
    }
    process.kill(-(child.pid as number), 'SIGINT');
  } else child.stdin.end();
  const code = await ended;
  const why = `bash exited ${code}: ${Buffer.concat(said).toString() || '(nothing on stderr)'}`;
  return { result: { left: await readdir(scratch), aws: await readFile(log, 'utf8') }, why };
}

describe.each(['README.md', 'docs/operations.md'])('%s: the snippet that puts the secret', (doc) => {
  // first-deploy review F7: the pasted secret was echoed, left on the screen and in scrollback.
  it('turns the echo off for the paste, and back on at its end, Ctrl-C included', () => {
    const text = snippet(doc);
    expect(text).toContain('stty -echo 2>/dev/null; cat > "$f"; stty echo 2>/dev/null');
    expect(text).toContain(`trap 'stty echo 2>/dev/null; rm -f "$f"' EXIT`);
  });

  it('hands the file to the AWS CLI and removes it', async () => {
    const name = `${doc.replace(/\W/g, '-')}-done`;
    const { result, why } = await runSnippet(doc, name, false);
    expect(result, why).toEqual({
      left: [],
      aws: `aws got ${PASTED}`,
    });
  });

  it('on Ctrl-C, removes the file and runs no AWS CLI', async () => {
    const name = `${doc.replace(/\W/g, '-')}-interrupted`;
    const { result, why } = await runSnippet(doc, name, true);
    expect(result, why).toEqual({ left: [], aws: '' });
  });
});

import { PassThrough } from 'node:stream';

/** Captures what a command writes, for in-process CLI tests. */
export function captureIo(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
  stdout.on('data', (chunk) => out.push(String(chunk)));
  (stderr as unknown as PassThrough).on('data', (chunk) => err.push(String(chunk)));
  return { io: { stdout, stderr, env }, stdout: () => out.join(''), stderr: () => err.join('') };
}

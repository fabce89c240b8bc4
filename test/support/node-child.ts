import { spawn } from 'node:child_process';

/** How a child `node` process ended, and all it wrote. */
export interface NodeChildOutcome {
  exit: { code: number | null; signal: NodeJS.Signals | null };
  out: string;
  err: string;
}

/**
 * Runs `node <args>` to its end and collects its output: for the tests whose subject is how the
 * process itself ends (a signal, a heap limit), which an in-process call cannot show.
 */
export async function runNodeChild(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<NodeChildOutcome> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    err += String(chunk);
  });
  const exit = await new Promise<NodeChildOutcome['exit']>((done) =>
    child.once('close', (code, signal) => done({ code, signal })),
  );
  return { exit, out, err };
}

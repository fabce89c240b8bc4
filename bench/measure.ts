import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface ProcessFigures {
  wallS: number;
  /** User + system CPU seconds of the process. */
  cpuS: number;
  peakRssMiB: number;
  stdout: string;
  stderr: string;
  exitCode: number;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Runs `node <args>` as a child process under GNU time, which reports the child's own CPU time
 * and peak RSS (getrusage of the waited child): the measured process is exactly the product.
 * `node` is the bench's own unless given (the Lambdas' runtime, bench/lambda-node.ts).
 */
export async function measureNode(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  node: string = process.execPath,
): Promise<ProcessFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-time-'));
  const report = join(dir, 'time.txt');
  try {
    const started = performance.now();
    const { stdout, stderr, exitCode } = await run(
      GNU_TIME,
      ['-f', '%U %S %M', '-o', report, node, ...args],
      { ...process.env, NODE_OPTIONS: '', ...env },
    );
    const wallS = (performance.now() - started) / 1000;
    const [user = 0, system = 0, maxKiB = 0] =
      (await readFile(report, 'utf8')).trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
    return { wallS, cpuS: user + system, peakRssMiB: maxKiB / 1024, stdout, stderr, exitCode };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${GNU_TIME} is missing: install GNU time (apt-get install time) to run the bench`);
    }
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, exitCode: code ?? 1 }));
  });
}

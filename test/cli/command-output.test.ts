import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type ByteSink,
  CommandOutput,
  fdSink,
  OUTPUT_CHUNK_BYTES,
  outputStatus,
} from '../../functions/cli/command-output.ts';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

const failure = (code: string) => Object.assign(new Error(`${code}: it failed, write`), { code });

/** A sink that takes `accepted` writes, then fails every later one with `code`. */
function failingSink(accepted: number, code: string) {
  const received: Uint8Array[] = [];
  let calls = 0;
  const sink: ByteSink = async (bytes) => {
    calls += 1;
    if (calls > accepted) throw failure(code);
    received.push(Uint8Array.from(bytes));
  };
  return { sink, received, calls: () => calls };
}

describe('a command output that cannot be written', () => {
  it('makes a successful command exit 1 and says why on stderr', async () => {
    const { sink } = failingSink(0, 'ENOSPC');
    const output = new CommandOutput(sink);
    const { io, stderr } = captureIo();
    const code = await main(['--help'], { ...io, stdout: output });
    expect(code).toBe(0);
    expect(await outputStatus(output, code, io.stderr)).toBe(1);
    expect(stderr()).toBe('error: could not write the output: ENOSPC: it failed, write\n');
  });

  it('keeps the status of a command that failed already, and still says why', async () => {
    const output = new CommandOutput(failingSink(0, 'EIO').sink);
    output.write('x');
    const { io, stderr } = captureIo();
    expect(await outputStatus(output, 130, io.stderr)).toBe(130);
    expect(stderr()).toMatch(/^error: could not write the output: EIO/);
  });

  it('leaves the status alone, and stderr silent, when the reader closed the pipe (EPIPE)', async () => {
    for (const code of [0, 1]) {
      const output = new CommandOutput(failingSink(0, 'EPIPE').sink);
      output.write('first line\n');
      const { io, stderr } = captureIo();
      expect(await outputStatus(output, code, io.stderr)).toBe(code);
      expect(stderr()).toBe('');
    }
  });

  it('writes a large output in chunks and stops at the first that fails', async () => {
    const { sink, received, calls } = failingSink(2, 'ENOSPC');
    const output = new CommandOutput(sink);
    output.write('a'.repeat(OUTPUT_CHUNK_BYTES * 4 + 10));
    output.write('more');
    const { io } = captureIo();
    expect(await outputStatus(output, 0, io.stderr)).toBe(1);
    expect(received.map((b) => b.length)).toEqual([OUTPUT_CHUNK_BYTES, OUTPUT_CHUNK_BYTES]);
    expect(calls()).toBe(3);
    expect(output.failure?.code).toBe('ENOSPC');
  });

  it('passes every byte through in order when nothing fails', async () => {
    const { sink, received } = failingSink(Number.POSITIVE_INFINITY, 'EIO');
    const output = new CommandOutput(sink);
    const text = `${'é'.repeat(OUTPUT_CHUNK_BYTES)}end\n`;
    output.write(text);
    const { io, stderr } = captureIo();
    expect(await outputStatus(output, 0, io.stderr)).toBe(0);
    expect(Buffer.concat(received).toString('utf8')).toBe(text);
    expect(received.every((b) => b.length <= OUTPUT_CHUNK_BYTES)).toBe(true);
    expect(stderr()).toBe('');
  });

  it('reports the terminal behind it, for table widths', () => {
    const output = new CommandOutput(failingSink(0, 'EIO').sink, { isTTY: true, columns: 93 });
    expect([output.isTTY, output.columns]).toEqual([true, 93]);
  });
});

describe('a descriptor sink (stdout redirected to a file)', () => {
  it('writes again after a short write, so a full disk surfaces as ENOSPC', async () => {
    // A nearly full disk: the first write takes 100 bytes and returns 100 without an error.
    let room = 100;
    const written: number[] = [];
    const write = (_fd: number, _bytes: Uint8Array, _offset: number, length: number) => {
      if (room === 0) throw failure('ENOSPC');
      const n = Math.min(room, length);
      room -= n;
      written.push(n);
      return n;
    };
    await expect(fdSink(9, write)(new Uint8Array(300))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(written).toEqual([100]);
  });

  it('writes the rest of a buffer from where a short write stopped', async () => {
    const out: number[] = [];
    const write = (_fd: number, bytes: Uint8Array, offset: number, length: number) => {
      const n = Math.min(length, 7);
      out.push(...bytes.subarray(offset, offset + n));
      return n;
    };
    const bytes = Uint8Array.from({ length: 30 }, (_, i) => i);
    await fdSink(9, write)(bytes);
    expect(out).toEqual([...bytes]);
  });
});

describe('the command line with stdout on /dev/full', () => {
  it.runIf(process.platform === 'linux')('exits 1 and says the output could not be written', async () => {
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'domo-activity-lake.js');
    const fd = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [bin, '--help'], { stdio: ['ignore', fd, 'pipe'] });
      let stderr = '';
      child.stderr?.on('data', (chunk) => {
        stderr += String(chunk);
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr).toMatch(/^error: could not write the output: ENOSPC: no space left on device/);
      expect(code).toBe(1);
    } finally {
      closeSync(fd);
    }
  });
});

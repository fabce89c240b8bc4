import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-ingest-credentials-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function ingest(env: NodeJS.ProcessEnv, ...flags: string[]) {
  const { io, stderr } = captureIo(env);
  // Port 9 on loopback answers nothing: the refusal must come before any request.
  const code = await main(
    ['ingest', '--lake', join(dir, 'lake'), '--api-base', 'http://127.0.0.1:9', ...flags],
    io,
  );
  return { code, stderr: stderr() };
}

describe('ingest refuses unusable Domo credentials without showing them', () => {
  it('a client id pasted as "id:secret": says what is wrong and how to fix it, shows neither, blames no flag', async () => {
    const r = await ingest({ DOMO_CLIENT_ID: 'sim-client:MyRealS3cret', DOMO_CLIENT_SECRET: 'x' });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('MyRealS3cret');
    expect(r.stderr).not.toContain('sim-client');
    expect(r.stderr).not.toContain('--api-base');
    expect(r.stderr).toMatch(/^error: The Domo client id contains ':' \(character 11 of 23\)/);
    expect(r.stderr).toMatch(/Put the id alone in DOMO_CLIENT_ID and the secret in DOMO_CLIENT_SECRET/);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

// The core's given-up message named "its address"; the CLI rewrote it to its flag with a regex
// built from the core's sentences, which broke silently when they changed (review 40, item 1).
// The CLI now hands the client its flag's name, and the core says it.

const credentials = { DOMO_CLIENT_ID: 'advice-client', DOMO_CLIENT_SECRET: 'advice-secret-XYZZY' };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-api-base-advice-'));
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

/** `ingest` of one hour against a Domo whose every request fails as `failure` does; its stderr. */
async function stoppedLine(failure: Error): Promise<string> {
  vi.spyOn(globalThis, 'fetch').mockRejectedValue(failure);
  // The client's real backoff between its 6 attempts is skipped, not waited for.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const { io, stderr } = captureIo(credentials);
  const argv = [
    'ingest',
    '--from',
    '2026-10-01T00:00:00Z',
    '--to',
    '2026-10-01T01:00:00Z',
    '--lake',
    join(dir, 'lake'),
    '--api-base',
    'https://domo.invalid',
  ];
  let status: number | undefined;
  const done = main(argv, io).then((code) => {
    status = code;
  });
  while (status === undefined) await vi.advanceTimersByTimeAsync(1_000);
  await done;
  expect(status).toBe(1);
  return stderr();
}

const fetchFailed = (code: string) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });

describe('an ingest that gave up on Domo names the flag that sets its address', () => {
  it('when Domo could not be reached', async () => {
    const line = await stoppedLine(fetchFailed('ENOTFOUND'));
    expect(line).toContain(
      'network error (ENOTFOUND). Domo could not be reached: check --api-base and the network, or try again later; this run finished no hour',
    );
    expect(line).not.toContain('its address');
  });

  it('when what came back was not HTTP', async () => {
    const line = await stoppedLine(fetchFailed('HPE_INVALID_CONSTANT'));
    expect(line).toContain(
      'answered with broken HTTP (HPE_INVALID_CONSTANT): check --api-base, or try again later; this run finished no hour',
    );
    expect(line).not.toContain('its address');
  });
});

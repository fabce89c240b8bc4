import { describe, expect, it } from 'vitest';
import { parseSimulation, simulateCommand, simulateHelp } from '../../functions/cli/commands/simulate.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';

const NOW = Date.parse('2026-10-01T12:30:00Z');

describe('simulate --late', () => {
  it('takes a fraction from 0 to 1, both ends included', () => {
    for (const [text, late] of [
      ['0', 0],
      ['.05', 0.05],
      ['0.5', 0.5],
      ['1', 1],
      ['1.0', 1],
    ] as const) {
      expect(parseSimulation({ late: text }, NOW).late, text).toBe(late);
    }
    expect(parseSimulation({}, NOW).late).toBe(0);
  });

  it('refuses anything else, even what Number() would read as one', () => {
    for (const text of ['', ' 0.5', '1e-1', '0x1', '-0', '1.5', 'half']) {
      expect(() => parseSimulation({ late: text }, NOW), text).toThrow(
        new UsageError('--late must be a fraction from 0 to 1, for example 0.05'),
      );
    }
  });
});

describe('simulate --port', () => {
  it('defaults to 8080 and takes 0 for any free port, as its help says', () => {
    expect(simulateHelp).toMatch(/^ {2}--port <n> +port \(default 8080; 0 picks a free one\)$/m);
    expect(parseSimulation({}, NOW).port).toBe(8080);
    expect(parseSimulation({ port: '0' }, NOW).port).toBe(0);
  });
});

describe('simulate, once stopped', () => {
  it('no longer listens: its port is free for the next one', async () => {
    const { io, stdout } = captureIo();
    await simulateCommand(
      ['--days', '1', '--users', '2', '--port', '0'],
      { ...io, log: silentLog },
      async () => {},
      () => false,
    );
    const url = /listening on (\S+)/.exec(stdout())?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    await expect(fetch(`${url}/v1/audit`)).rejects.toThrow();
  });
});

describe('simulate --client-secret', () => {
  it('accepts the client secret from DOMO_CLIENT_SECRET, the option first', () => {
    expect(parseSimulation({}, NOW, { DOMO_CLIENT_SECRET: ' s3cret\n' }).clientSecret).toBe('s3cret');
    expect(
      parseSimulation({ 'client-secret': 'flag' }, NOW, { DOMO_CLIENT_SECRET: 'env' }).clientSecret,
    ).toBe('flag');
    expect(parseSimulation({}, NOW, { DOMO_CLIENT_SECRET: ' ' }).clientSecret).toBe('sim-secret');
  });
});

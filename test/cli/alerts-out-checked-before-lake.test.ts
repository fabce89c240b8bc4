import { describe, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

describe.concurrent('alerts with a bad --out and a bad --lake', () => {
  it('reports --out first (exit 2)', async ({ expect }) => {
    const { io, stdout, stderr } = captureIo();
    const code = await main(['alerts', '--out', '', '--lake', 'http://x'], io);
    expect({ code, stdout: stdout() }).toEqual({ code: 2, stdout: '' });
    expect(stderr()).toMatch(/^error: --out is empty: pass a directory \(created if missing\)/);
  });
});

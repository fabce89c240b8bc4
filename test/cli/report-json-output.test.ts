import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { event, login, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

/** A C1 CSI that clears the screen on some terminals, and a bidi override. */
const HOSTILE = 'C1\u009b2J\u202enimda';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'report-json-'));
  await writeFixtureLake(join(dir, 'lake'), {
    events: [
      event('2026-11-17 09:00:00', { user_id: '7', user_name: HOSTILE }),
      login('2026-11-17 10:00:00', 'login_failed', { user_id: '7', user_name: HOSTILE }),
    ],
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('report --json', () => {
  it('writes the C1 and bidi controls of a Domo name as \\u escapes, as every command does', async () => {
    const c = captureIo();
    const argv = ['report', '--lake', join(dir, 'lake'), '--out', join(dir, 'out')];
    const code = await main([...argv, '--time-zone', 'UTC', '--week', '2026-W47', '--json'], c.io);
    expect(code, c.stderr()).toBe(0);
    const file = await readFile(join(dir, 'out', 'report.json'), 'utf8');
    for (const text of [c.stdout(), file]) {
      expect(text).toContain('C1\\u009b2J\\u202enimda');
      for (const char of ['\u009b', '\u202e']) expect(text).not.toContain(char);
      // The same JSON to a parser.
      expect(JSON.stringify(JSON.parse(text))).toContain(HOSTILE);
    }
  });
});

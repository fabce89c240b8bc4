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

  it('gives the lake times with their zone, as query --format json does; the summary is unchanged', async () => {
    // A bare `2026-11-17 10:00:00.000` is read as local time by Date, pandas or a spreadsheet.
    const out = join(dir, 'out-zone');
    const argv = ['report', '--lake', join(dir, 'lake'), '--out', out, '--time-zone', 'UTC'];
    const c = captureIo();
    expect(await main([...argv, '--week', '2026-W47', '--json'], c.io), c.stderr()).toBe(0);
    const file = await readFile(join(out, 'report.json'), 'utf8');
    const archived = await readFile(join(out, 'reports', 'instance=default', '2026-W47.json'), 'utf8');
    for (const text of [c.stdout(), file, archived]) {
      const model = JSON.parse(text);
      expect(model.schemaVersion).toBe(2);
      expect(model.failedLogins[0]).toMatchObject({
        firstFailure: '2026-11-17T10:00:00.000Z',
        lastFailure: '2026-11-17T10:00:00.000Z',
      });
      expect(model.health.lastEventTime).toBe('2026-11-17T10:00:00.000Z');
      expect(text).not.toMatch(/"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    }
    const summary = captureIo();
    expect(await main([...argv, '--week', '2026-W47'], summary.io), summary.stderr()).toBe(0);
    expect(summary.stdout()).toContain('report 2026-W47');
    expect(await readFile(join(out, 'report.txt'), 'utf8')).not.toContain('2026-11-17T10:00');
  });
});

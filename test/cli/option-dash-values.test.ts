import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { parseOptions } from '../../functions/cli/options.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';
import { event, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'option-dash-values-'));
  lake = join(dir, 'lake');
  await writeFixtureLake(lake, { instance: 'main', events: [event('2026-11-17 09:00:00')] });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[]) {
  const c = captureIo();
  const code = await main(argv, c.io);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

// Bounded on dt, or stderr would carry the note on a full scan.
const COMMENTED =
  "-- why I ask: how many events\nSELECT count(*) AS n FROM activity_log WHERE dt >= '2000-01-01'";

describe('a value that starts with a dash', () => {
  it('is the value of query --sql when it starts with a SQL comment, as with --sql=', async () => {
    const spaced = await run(['query', '--sql', COMMENTED, '--lake', lake, '--format', 'csv']);
    expect(spaced).toEqual({ code: 0, stdout: 'n\r\n1\r\n', stderr: '' });
    const joined = await run(['query', `--sql=${COMMENTED}`, '--lake', lake, '--format', 'csv']);
    expect(joined).toEqual(spaced);
  });

  it('is still a missing value when the next word can be an option, with how to pass one', async () => {
    const r = await run(['query', '--sql', '--format', 'csv', '--lake', lake]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: --sql needs a value: the word after it starts with a dash and is read as an option; a value that starts with a dash goes as --sql=<value> (see: query --help)\n',
    );
    // A mistyped option is not taken for the value either.
    expect((await run(['query', '--sql', '--fromat', 'csv'])).stderr).toMatch(/^error: --sql needs a value:/);
    // At the end of the line, nothing follows to explain.
    expect((await run(['query', '--sql'])).stderr).toBe('error: --sql needs a value (see: query --help)\n');
  });

  it('is read the same way by every option that takes a value, never by a switch', () => {
    const spec = {
      out: { type: 'string' },
      param: { type: 'string', multiple: true },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    } as const;
    expect(
      parseOptions(['--out', '- my dir', '--param', '- x=1', '--param', '-y\tz', '--limit', '-3'], spec)
        .values,
    ).toEqual({ out: '- my dir', param: ['- x=1', '-y\tz'], limit: '-3' });
    // `--x=a b` can be an option with its value: the whitespace is after the `=`.
    expect(() => parseOptions(['--out', '--json=a b'], spec)).toThrow(UsageError);
    expect(() => parseOptions(['--json', '-- note'], spec)).toThrow(UsageError);
    // After `--` the words are positionals as typed, none joined to another.
    expect(parseOptions(['--', '--out', '- my dir'], spec, true).positionals).toEqual(['--out', '- my dir']);
  });
});

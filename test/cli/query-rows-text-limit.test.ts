/**
 * Rows more than one string holds (review R2ADDR: the runbook's timeline asks for max_rows
 * 1,000,000, and max_rows takes 10,000,000; a user_activity row is ~810 characters of JSON, and V8
 * stops a string at 536,870,888): the command says how many rows, why, and how to ask for fewer,
 * where it printed V8's "Invalid string length" naming nothing. The writers are made to throw V8's
 * error here: a real one takes half a gigabyte of text.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rowsText } from '../../functions/cli/rows-text.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { event, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

const tooLong = (): string => {
  throw new RangeError('Invalid string length');
};

/** The CSV writer, made to throw (the suite shares modules: mocked for this file's imports only). */
const CSV = '../../functions/cli/query-csv.ts';
let queryCommand: typeof import('../../functions/cli/commands/query.ts').queryCommand;
let lake: string;
beforeAll(async () => {
  vi.resetModules();
  vi.doMock(CSV, () => ({ toCsv: tooLong }));
  ({ queryCommand } = await import('../../functions/cli/commands/query.ts'));
  lake = await mkdtemp(join(tmpdir(), 'query-rows-text-'));
  await writeFixtureLake(lake, { events: [event('2026-11-18 10:00:00', { user_id: '7' })] });
});
afterAll(async () => {
  vi.doUnmock(CSV);
  vi.resetModules();
  await rm(lake, { recursive: true, force: true });
});

const now = () => Date.parse('2026-11-24T15:00:00Z');
const run = (argv: string[]) =>
  queryCommand([...argv, '--lake', lake], { ...captureIo().io, log: silentLog }, { now });

describe('rows more than one text holds', () => {
  it('a catalog query says how many rows, and to ask for fewer', async () => {
    await expect(
      run([
        'user_activity',
        '--param',
        'user_id=7',
        '--from',
        '2026-11-17',
        '--to',
        '2026-11-24',
        '--format',
        'csv',
      ]),
    ).rejects.toThrow(/^1 rows are more than --format csv can write: .*536,870,888 characters.*max_rows/);
  });

  it('so does your SQL', async () => {
    await expect(run(['--sql', 'SELECT 1 AS n', '--format', 'csv'])).rejects.toThrow(
      /^1 rows are more than --format csv can write/,
    );
  });

  it('offers CSV for JSON, and lets any other error through as it was', () => {
    expect(() => rowsText('json', 700_000, tooLong)).toThrow(/^700,000 rows .* or --format csv/);
    const other = new RangeError('Maximum call stack size exceeded');
    expect(() =>
      rowsText('json', 1, () => {
        throw other;
      }),
    ).toThrow(other);
  });
});

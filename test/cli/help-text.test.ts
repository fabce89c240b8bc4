import { describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

const COMMANDS = [
  'ingest',
  'simulate',
  'verify',
  'status',
  'query',
  'report',
  'enrich',
  'alerts',
  'evidence',
  'demo',
];

async function helpOf(argv: string[]): Promise<string> {
  const { io, stdout } = captureIo();
  expect(await main(argv, io)).toBe(0);
  return stdout();
}

describe('help texts read in a terminal of 100 columns', () => {
  it.each([[[] as string[]], ...COMMANDS.map((command) => [[command]])])(
    '%j --help: no line wider than 100 columns',
    async (argv) => {
      const text = await helpOf([...argv, '--help']);
      const wide = text.split('\n').filter((line) => line.length > 100);
      expect(wide).toEqual([]);
    },
  );

  it('report --help lists its own options and the engine options in one column', async () => {
    const text = await helpOf(['report', '--help']);
    const columns = new Set(
      text
        .split('\n')
        .map((line) => /^( {2}--\S+(?: <[^>]+>)? {2,})\S/.exec(line)?.[1]?.length)
        .filter((column) => column !== undefined),
    );
    expect(columns).toEqual(new Set([27]));
  });
});

/**
 * An option's description as a reader scans it: two spaces at least after the flag (one reads as
 * part of it), and its first line in the column its continuation lines hang in.
 */
function misaligned(text: string): string[] {
  const found: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, at) => {
    const option = /^ {2}(--[\w-]+(?: [^ ]+)?(?: --[\w-]+(?: <[^>]+>)?)?)( +)([^\s<].*)$/.exec(line);
    if (!option) return;
    const [, flag = '', gap = ''] = option;
    const column = 2 + flag.length + gap.length;
    const next = lines[at + 1] ?? '';
    const hanging = /^ +(?=[^ -])/.exec(next)?.[0].length;
    if (gap.length < 2 || (hanging !== undefined && hanging > 2 && hanging !== column)) found.push(line);
  });
  return found;
}

describe('help texts: option descriptions line up', () => {
  it.each(COMMANDS)('%s --help: each description starts where its continuation lines do', async (command) => {
    const text = await helpOf([command, '--help']);
    expect(misaligned(text)).toEqual([]);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe('verify --help', () => {
  it('says plain verify starts where the lake began, not at its first covered hour', async () => {
    const text = (await helpOf(['verify', '--help'])).replace(/\s+/g, ' ');
    expect(text).toContain(
      'default: from where the lake began, the earliest of its first covered hour and the starts its genesis digest and checkpoint record, to the last covered hour or the watermark',
    );
    expect(text).not.toContain('first to last covered hour');
  });

  it('says hours holding quarantined entries but no manifest are named, not failed', async () => {
    const text = (await helpOf(['verify', '--help'])).replace(/\s+/g, ' ');
    expect(text).toContain(
      'Hours that hold events or quarantined entries but no manifest (a pull interrupted, inside the lake, before its first hour or after its last, unless a run in progress pulls them) are named with how to re-pull them, and do not fail the check.',
    );
  });

  it('says --expect-head names the objects stored otherwise than the noted head left them', async () => {
    const text = (await helpOf(['verify', '--help'])).replace(/\s+/g, ' ');
    expect(text).toContain(
      'each object stored otherwise than the digests up to it left it is a finding (changed-since-noted, created-since-noted), unless the digests after it are signed and checked with --public-key',
    );
  });
});

describe('demo --help', () => {
  it('says its alerts are those of the report week: they stop at its end', async () => {
    const text = (await helpOf(['demo', '--help'])).replace(/\s+/g, ' ');
    expect(text).toContain('the security alerts of that week');
    expect(text).not.toContain('since that week began');
  });
});

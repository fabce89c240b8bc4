import { describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

const COMMANDS = ['ingest', 'simulate', 'verify', 'status', 'query', 'report', 'enrich', 'alerts', 'demo'];

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
        .map((line) => /^( {2}--\S+(?: <[^>]+>)? +)\S/.exec(line)?.[1]?.length)
        .filter((column) => column !== undefined),
    );
    expect(columns).toEqual(new Set([27]));
  });
});

import { describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

const refusal = async (argv: string[]) => {
  const { io, stdout, stderr } = captureIo();
  expect(await main(argv, io)).toBe(2);
  expect(stdout()).toBe('');
  return stderr();
};

describe('a lake given without --lake', () => {
  it('is refused with the option spelt out, quoted for the shell, by every command that reads a lake', async () => {
    expect(await refusal(['verify', './sim-lake'])).toContain(
      'error: unexpected argument ./sim-lake: this command takes options only; for a lake, write --lake ./sim-lake',
    );
    expect(await refusal(['status', 's3://bucket/lake'])).toContain(
      '; for a lake, write --lake s3://bucket/lake',
    );
    expect(await refusal(['alerts', '/data/my lake'])).toContain(
      "; for a lake, write --lake '/data/my lake'",
    );
  });

  it('is not suggested for a word that is no path, nor by a command without --lake', async () => {
    const word = await refusal(['verify', 'now']);
    expect(word).toContain('error: unexpected argument now: this command takes options only');
    expect(word).not.toContain('--lake');
    expect(await refusal(['simulate', './lake'])).not.toContain('--lake');
  });

  it('is not suggested for a flag made positional by --', async () => {
    const flag = await refusal(['status', '--', '--lake', 'x']);
    expect(flag).toContain('error: unexpected argument --lake: this command takes options only');
    expect(flag).not.toContain('write --lake');
  });
});

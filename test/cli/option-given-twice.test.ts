import { describe, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { parseOptions } from '../../functions/cli/options.ts';
import { captureIo } from '../support/capture-io.ts';

async function run(argv: string[]) {
  const { io, stdout, stderr } = captureIo();
  const code = await main(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

describe.concurrent('a single-valued option given twice', () => {
  it('is refused (exit 2) naming the option and both values, not read as the last', async ({ expect }) => {
    const instance = await run(['verify', '--instance', 'x', '--instance', 'y']);
    expect(instance).toMatchObject({ code: 2, stdout: '' });
    expect(instance.stderr).toBe(
      'error: --instance is given 2 times, as x and as y: it takes one value; keep the one you mean (see: verify --help)\n',
    );
    const lake = await run(['status', '--lake', './a', '--lake=./b']);
    expect(lake.code).toBe(2);
    expect(lake.stderr).toContain('error: --lake is given 2 times, as ./a and as ./b:');
  });

  it('shows each value as the shell reads it back, and a value given again once', async ({ expect }) => {
    const r = await run([
      'query',
      'x',
      '--time-zone',
      'Europe/Paris',
      '--time-zone',
      'my zone',
      '--time-zone',
      'my zone',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: --time-zone is given 3 times, as Europe/Paris and as 'my zone':");
  });

  it('never shows the values of an option that may carry a secret', async ({ expect }) => {
    const r = await run(['simulate', '--client-secret', 's3cr3t-one', '--client-secret', 's3cr3t-two']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --client-secret is given 2 times, with different values (not shown');
    expect(r.stderr).not.toMatch(/s3cr3t/);
    const id = await run(['ingest', '--secret-id', 'first-id', '--secret-id', 'second-id']);
    expect(id.code).toBe(2);
    expect(id.stderr).not.toMatch(/first-id|second-id/);
  });

  it('is accepted given twice with the same value, as is a switch given twice', ({ expect }) => {
    const spec = { lake: { type: 'string' }, json: { type: 'boolean' } } as const;
    expect(parseOptions(['--lake', 'a', '--lake=a', '--json', '--json'], spec).values).toEqual({
      lake: 'a',
      json: true,
    });
  });

  it('leaves the options meant to repeat alone: --param, --mail-to, --accept', async ({ expect }) => {
    const spec = { param: { type: 'string', multiple: true }, lake: { type: 'string' } } as const;
    expect(parseOptions(['--param', 'a=1', '--param', 'b=2'], spec).values).toEqual({
      param: ['a=1', 'b=2'],
    });
    const param = await run([
      'query',
      'suspicious_logins',
      '--param',
      'min_history_logins=3',
      '--param',
      'nope=1',
    ]);
    expect(param.stderr).toMatch(/has no parameter "nope"/);
    const mailTo = await run(['report', '--mail-to', 'a@example.com', '--mail-to', 'b@', '--week', 'x']);
    expect(mailTo.stderr).not.toMatch(/given 2 times/);
    const accept = await run(['verify', '--accept', 'a', '--accept', 'b', '--public-key']);
    expect(accept.stderr).not.toMatch(/given 2 times/);
  });
});

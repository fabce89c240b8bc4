import { describe, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

const SQL = 'SELECT user_name FROM activity_log';

/** The one-line refusal of `query --sql <SQL> ...extra`, its exit status checked. */
async function refusal(extra: string[]): Promise<string> {
  const { io, stdout, stderr } = captureIo();
  const code = await main(['query', '--sql', SQL, ...extra], io);
  if (code !== 2 || stdout() !== '') throw new Error(`exit ${code}: ${stdout()}${stderr()}`);
  return stderr();
}

describe.concurrent('query --sql with an option of the catalog queries', () => {
  it('--limit: says to end the SQL with a LIMIT, not to write a WHERE', async ({ expect }) => {
    expect(await refusal(['--limit', '3'])).toBe(
      'error: --sql runs the SQL as written, so --limit would change nothing: end the SQL with LIMIT 3 instead (e.g. --sql "SELECT ... LIMIT 3") (see: query --help)\n',
    );
    expect(await refusal(['--limit', 'ten'])).toContain('end the SQL with LIMIT <n> instead');
  });

  it('--param, --time-zone and --all: each says what to do instead', async ({ expect }) => {
    const param = await refusal(['--param', 'limit=3']);
    expect(param).toContain(
      "--param would change nothing: write the values into the SQL: --param sets a catalog query's parameters",
    );
    expect(param).not.toContain('WHERE');
    expect(await refusal(['--time-zone', 'Europe/Paris'])).toContain(
      'convert event_time to the zone in the SQL itself, as the catalog queries do',
    );
    expect(await refusal(['--all'])).toContain('give --all or --sql, not both');
  });

  it('several: one piece of advice each, the WHERE one for the instance and the period', async ({
    expect,
  }) => {
    const r = await refusal(['--instance', 'acme', '--to', '2026-11-22', '--limit', '5']);
    expect(r).toContain(
      "--to, --limit, --instance would change nothing: put the instance and the period in its WHERE (e.g. WHERE instance = 'main' AND dt BETWEEN '2026-11-16' AND '2026-11-22'); end the SQL with LIMIT 5 instead",
    );
  });
});

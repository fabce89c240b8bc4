/**
 * docs/operations.md's "An account may be compromised: the first hour" gives a responder the exact
 * commands, in order (incident-responder review, F-RUNBOOK 1). Every command of its code blocks
 * runs here as written (shell quoting undone, `./lake` the demo's lake built at the hour the
 * section's figures are of, `out/` a scratch folder), exits 0 and finds what the section says the
 * demo's stolen password left: a command that rots (a renamed query, option or column, a planted
 * story moved) fails here.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';
import { demoLake } from '../support/demo-lake.ts';

/** The hour of the demo run the section's figures come from. */
const clock = clockFrom(Date.parse('2026-12-06T13:05:00Z'));
const CLI = 'npm run -s cli -- ';

const doc = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
const start = doc.indexOf('## An account may be compromised: the first hour');
const section = doc.slice(start, doc.indexOf('\n## ', start + 1));

/** The CLI command lines of a section's code blocks, in order. */
const commandsOf = (text: string): string[] =>
  [...text.matchAll(/```bash\n([\s\S]*?)```/g)]
    .flatMap((block) => (block[1] ?? '').split('\n'))
    .map((line) => line.trim())
    .filter((line) => line.startsWith(CLI))
    .map((line) => line.slice(CLI.length));

/** The section's CLI command lines, from its code blocks, in order. */
const commands = commandsOf(section);

/** One word of a shell line: unquoted characters, '…' and "…" pieces, glued. */
const WORD = /(?:'[^']*'|"(?:\\.|[^"\\])*"|[^\s'"])+/g;
/** A piece of a word: single-quoted as is, double-quoted with `\\` `\$` `\"` undone, or bare. */
const PIECE = /'([^']*)'|"((?:\\.|[^"\\])*)"|([^'"]+)/g;

/** A command line's words as bash hands them over, up to a `>` (the output goes to stdout here). */
function shellWords(line: string): string[] {
  const words = (line.match(WORD) ?? []).map((word) =>
    [...word.matchAll(PIECE)]
      .map(([, single, double, bare]) => single ?? double?.replace(/\\([\\$"`])/g, '$1') ?? bare)
      .join(''),
  );
  const cut = words.indexOf('>');
  return cut < 0 ? words : words.slice(0, cut);
}

/** What each step's command must find on the demo's lake (spaces: any run of them), by its first words. */
const FINDS: [RegExp, string[]][] = [
  [/^alerts /, ['login after impossible travel Chen Xu (2143862983)', 'IN to FR: 7369 km in 77 min']],
  [/^query suspicious_logins /, ['2143862983 Chen Xu impossible_travel 154.28.124.189 FR']],
  [
    /^query user_activity /,
    [',user,2143862983,Chen Xu,0,,CHANGED,Changed user role,USER,1426298622,Chen Hopper,'],
  ],
  [/^query admin_changes /, [',2143862983,Chen Xu,0,,CREATED,Access token created,ACCESS_TOKEN,900972,']],
  [/^query data_movement /, ['2143862983 Chen Xu token_created', '1426298622 Chen Hopper export']],
  // The user's addresses: the intruder's among them, shared with no other user.
  [/^query user_addresses /, ['154.28.124.189,154.28.124.0/24,FR,9009,M247 Europe SRL,2026-11-24 04:48']],
  [
    /^query address_activity .*address=154\.28\.124\.189 /,
    ['2143862983,Chen Xu,0,,LOGGED_IN,Logged in,USER', '154.28.124.189,FR,9009,M247 Europe SRL'],
  ],
  // The network owner's list names another user: the next account the section sends one to.
  [/^query address_activity .*asn=9009 /, ['1283270649,Emeka Lovelace,', ',9009,M247 Europe SRL,']],
  [/^query failed_logins_and_lockouts /, ['1426298622 Chen Hopper 1 0 1 18.231.248.240']],
  [/^query login_after_failures /, ['\n0 rows in']],
  [/^query login_after_spray /, ['\n0 rows in']],
  [/^verify .* --integrity/, ['hours covered: 312 of 312', ' OK (the range']],
  [/^query data_health /, ['missing_hours']],
];

/** What a step found: a query that keeps its rows with `--out` prints nothing, its rows are in the file. */
function foundBy(argv: readonly string[], stdout: string): string {
  const out = argv[0] === 'query' ? argv.indexOf('--out') : -1;
  return out < 0 ? stdout : readFileSync(argv[out + 1] ?? '', 'utf8');
}

/** Spaces squeezed, so a table's column widths do not matter. */
const squeezed = (text: string) => text.replace(/ +/g, ' ');

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'compromised-runbook-'));
  lake = join(dir, 'lake');
  // Built as `demo` builds it, the demo ended once its lake is whole (see demoLake).
  await demoLake(['--lake', lake, '--out', join(dir, 'demo-out')], captureIoAt(clock).io);
}, 240_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the runbook of a compromised account', () => {
  it('gives a command for each step: the alerts, the timeline, changes, movement, addresses, failures, completeness', () => {
    expect(commands.map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual([
      'alerts --lake',
      'query suspicious_logins',
      'query user_activity',
      'query admin_changes',
      'query data_movement',
      'query user_addresses',
      'query address_activity',
      'query address_activity',
      'query failed_logins_and_lockouts',
      'query login_after_failures',
      'query login_after_spray',
      'verify --lake',
      'query data_health',
    ]);
    // The timeline is evidence: not cut at the report's 1,000 rows, which keeps the first in time
    // and so leaves out a busy user's latest events, those after the sign-in (review IR).
    const timeline = commands.find((c) => c.startsWith('query user_activity ')) ?? '';
    expect(Number(/--param max_rows=(\d+)/.exec(timeline)?.[1] ?? 0)).toBeGreaterThanOrEqual(1_000_000);
    expect(section).toContain('](#handing-over-evidence)');
    // Found from the README's part on operating the stack, not only by those who know the runbook.
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain('](docs/operations.md#an-account-may-be-compromised-the-first-hour)');
  });

  it("runs every command as written on the demo's lake, each finding what the section says", async () => {
    expect(commands).toHaveLength(FINDS.length);
    for (const command of commands) {
      const words = shellWords(command);
      const argv = words.map((w) => (w === './lake' ? lake : w.startsWith('out/') ? join(dir, w) : w));
      const { io, stdout, stderr } = captureIoAt(clock);
      const code = await main(argv, io);
      expect(code, `${command}\n${stderr()}`).toBe(0);
      const found = foundBy(argv, stdout());
      const finds = FINDS.find(([pattern]) => pattern.test(command))?.[1];
      expect(finds, command).toBeDefined();
      for (const text of finds ?? []) expect(squeezed(found), command).toContain(text);
      if (/^query failed_logins/.test(command)) expect(stdout(), command).not.toContain('2143862983');
    }
  }, 240_000);

  it("hands the user's part over in one command, as operations.md's evidence section runs it", async () => {
    const at = doc.indexOf('## One command: `evidence`');
    const [command, ...rest] = commandsOf(doc.slice(at, doc.indexOf('\n## ', at + 1)));
    expect(rest).toEqual([]);
    const argv = shellWords(command ?? '').map((w) =>
      w === './lake' ? lake : w.startsWith('out/') ? join(dir, w) : w,
    );
    const { io, stderr } = captureIoAt(clock);
    expect(await main(argv, io), stderr()).toBe(0);
    const out = argv[argv.indexOf('--out') + 1] ?? '';
    const events = readFileSync(join(out, 'events.ndjson'), 'utf8').split('\n').slice(0, -1);
    const rows = JSON.parse(readFileSync(join(out, 'queries/user_activity.json'), 'utf8')) as unknown[];
    // The session's changes among the user's events, and every row of the timeline a line of the bundle.
    expect(events.some((line) => line.includes('"event_text":"Changed user role"'))).toBe(true);
    expect(events).toHaveLength(rows.length);
    expect(readFileSync(join(out, 'README.txt'), 'utf8')).toContain('(verify --integrity):\n          OK');
  }, 120_000);
});

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { describeReport } from '../../functions/cli/verify-report-text.ts';
import type { VerifyReport } from '../../functions/core/lake/verify-report.ts';
import { captureIo } from '../support/capture-io.ts';

let dir: string;
let lake: string;
let file: string;
const credentials = { DOMO_CLIENT_ID: 'id', DOMO_CLIENT_SECRET: 'secret' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-exit-'));
  // A lake holding only the instance "default": its folder names are all that says so.
  lake = join(dir, 'lake');
  await mkdir(join(lake, 'state', 'instance=default'), { recursive: true });
  await writeFile(join(lake, 'state', 'instance=default', 'checkpoint.json'), '{}');
  file = join(dir, 'a-file.txt');
  await writeFile(file, 'not a lake');
  await mkdir(join(dir, 'empty'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const { io, stdout, stderr } = captureIo(env);
  const code = await main(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

describe('wrong targets are failures (exit 1) that name what the lake holds', () => {
  it('a lake that does not exist', async () => {
    const r = await run(['query', 'most_active_users', '--lake', join(dir, 'no-such-dir')]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/there is no lake at .*no-such-dir \(no such directory\)/);
  });

  it('a file, and a directory holding no lake', async () => {
    const onFile = await run(['verify', '--lake', file]);
    expect(onFile.code).toBe(1);
    expect(onFile.stderr).toMatch(/a-file\.txt is a file, not a lake/);
    const empty = await run(['verify', '--lake', join(dir, 'empty')]);
    expect(empty.code).toBe(1);
    // Review R-FIRST M1: an empty folder was "not a lake", as if --lake named the wrong one.
    expect(empty.stderr).toMatch(/empty is empty: no ingest or demo has written a lake there yet/);
    const other = join(dir, 'other');
    await mkdir(other, { recursive: true });
    await writeFile(join(other, 'notes.txt'), 'mine');
    const notLake = await run(['verify', '--lake', other]);
    expect(notLake.code).toBe(1);
    expect(notLake.stderr).toMatch(
      /other is not a lake: it holds no activity_log\/, coverage\/, state\/ or digest\//,
    );
  });

  it('an instance the lake does not hold, for verify, query and report alike', async () => {
    for (const argv of [
      ['verify', '--instance', 'main', '--lake', lake],
      ['query', 'most_active_users', '--instance', 'main', '--lake', lake],
      ['report', '--instance', 'main', '--lake', lake, '--out', join(dir, 'out')],
    ]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stderr).toContain(
        'holds no instance "main"; it holds: default (none is near "main": check the name, and --lake)',
      );
    }
  });

  it('several instances and none asked for: a usage error listing them', async () => {
    const two = join(dir, 'two');
    await mkdir(join(two, 'coverage', 'instance=a'), { recursive: true });
    await mkdir(join(two, 'activity_log', 'instance=b'), { recursive: true });
    const r = await run(['verify', '--lake', two]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds instances a, b: pass --instance <name>/);
  });
});

describe('a bad option value is a usage error (exit 2) naming the flag', () => {
  const cases: [string[], RegExp][] = [
    [
      ['report', '--week', '2026-W60'],
      /^error: --week "2026-W60": week "2026-W60" does not exist: 2026 has ISO weeks 01 to 53/,
    ],
    [
      ['report', '--week', '1999-W01'],
      /--week "1999-W01": .*out of range: the year must be from 2000 to 2099/,
    ],
    // Not shown: a value that is no URL may be the client secret (review 36m, item 1).
    [['ingest', '--api-base', 'not-a-url'], /^error: --api-base "\*\*\*": is not a URL/],
    [
      ['ingest', '--doc-time-zone', 'Foo/Bar'],
      /^error: --doc-time-zone "Foo\/Bar": time zone "Foo\/Bar" is not a known IANA/,
    ],
    [
      ['ingest', '--backfill-days', '100000'],
      /^error: --backfill-days "100000" must be a whole number from 1 to 366/,
    ],
    [
      ['query', 'most_active_users', '--limit', '-3'],
      /^error: --limit "-3" must be a whole number from 1 to 10000/,
    ],
    [['demo', '--days', '-5'], /^error: --days "-5" must be a whole number from 1 to 90/],
    [['query', 'x', '--bogus'], /^error: unknown option --bogus \(see: query --help\)\n$/],
    [['query', 'most_active_users', '--limit'], /^error: --limit needs a value/],
    [['verify', '--json=yes'], /^error: --json is a switch and takes no value/],
    [['demo', '--lake', 'FILE'], /^error: --lake .*a-file\.txt is a file, not a directory/],
    [['report', '--lake', 'LAKE', '--out', 'FILE'], /^error: --out .*a-file\.txt is a file, not a directory/],
    [
      ['report', '--lake', 's3://bucket/lake'],
      /--lake s3:\/\/bucket\/lake is in S3: .* replace --lake with --athena --workgroup <wg> --database <db>/,
    ],
  ];
  it.each(cases)('%j', async (argv, message) => {
    const r = await run(
      argv.map((a) => (a === 'FILE' ? file : a === 'LAKE' ? lake : a)),
      credentials,
    );
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/backfillDays|apiBase|docTimeZone/);
    expect(r.code).toBe(2);
  });

  it('a bad --category-rules regex', async () => {
    const rules = join(dir, 'rules.json');
    await writeFile(rules, JSON.stringify([{ category: 'login', actionType: '([' }]));
    const r = await run(['ingest', '--category-rules', rules], credentials);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: --category-rules ".*rules\.json": rule\[0\]\.actionType: "\(\[" is not a valid regular expression/,
    );
  });

  it('an s3:// lake without a region, before any request to Domo', async () => {
    vi.stubEnv('AWS_REGION', '');
    vi.stubEnv('AWS_DEFAULT_REGION', '');
    vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'no-aws-config'));
    vi.stubEnv('AWS_PROFILE', '');
    try {
      // Port 9 on loopback answers nothing: a request to Domo would fail with another message.
      const r = await run(
        ['ingest', '--lake', 's3://bucket/lake', '--api-base', 'http://127.0.0.1:9'],
        credentials,
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /--lake s3:\/\/bucket\/lake is in S3 but no AWS region is set: export AWS_REGION=/,
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('verify lists the top quarantine reasons and says how many more there are', () => {
  it('shows five and counts the rest', () => {
    const reasons = Array.from({ length: 8 }, (_, i) => ({ reason: `reason ${i}`, count: 10 - i }));
    const report = {
      instance: 'main',
      fromMs: Date.UTC(2026, 10, 1),
      toMs: Date.UTC(2026, 10, 2),
      windowsCovered: 24,
      windowsExpected: 24,
      gaps: [],
      events: 5,
      duplicateIds: 0,
      misplacedRecords: 0,
      lateEventsTotal: 0,
      quarantined: 52,
      outOfWindow: 0,
      quarantineReasons: reasons,
      watermarkMs: Date.UTC(2026, 10, 2),
      uncoveredBelowWatermark: 0,
      interruptedWindows: 0,
      manifestMismatches: [],
      grownPastManifest: [],
      duplicates: [],
      unreadable: [],
      unreadableCount: 0,
      foreignKeys: [],
      foreignKeyCount: 0,
      ok: true,
    } as unknown as VerifyReport;
    const text = describeReport(report, '/lake');
    expect(text).toContain('    6 x reason 4\n');
    expect(text).not.toContain('reason 5');
    // 5 + 4 + 3 entries in the three reasons not shown.
    expect(text).toContain('    and 3 more reasons (12 entries): --json lists them all\n');
    expect(text).toContain('  events: 5, duplicate ids: 0, misplaced: 0');
    // One more is shown, not counted: its line takes the place the count would.
    const six = describeReport({ ...report, quarantineReasons: reasons.slice(0, 6) }, '/lake');
    expect(six).toContain('    6 x reason 4\n    5 x reason 5\n  watermark:');
    expect(six).not.toMatch(/more reason/);
    const holes = describeReport(
      { ...report, uncoveredBelowWatermark: 2, interruptedWindows: 1, ok: false },
      '/lake',
    );
    // Scheduled runs only go back over their lookback: older holes need a re-pull, and it says so.
    expect(holes).toContain(
      '  2 hour(s) below the watermark are not covered: no scheduled run goes back for them; re-pull the gaps with ingest --from/--to\n',
    );
    expect(holes).toContain(
      '  1 hour(s) hold events but no manifest (a pull was interrupted): a scheduled run repairs those from its lookback on; re-pull older ones with ingest --from/--to\n',
    );
    expect(holes).not.toContain('at or after the watermark');
    // Above the watermark, a run that failed or stopped left the holes: the next scheduled run fills them.
    const above = describeReport(
      {
        ...report,
        watermarkMs: Date.UTC(2026, 10, 1, 10),
        gaps: [
          { fromMs: Date.UTC(2026, 10, 1, 2), toMs: Date.UTC(2026, 10, 1, 4) },
          { fromMs: Date.UTC(2026, 10, 1, 12), toMs: Date.UTC(2026, 10, 1, 15) },
        ],
        uncoveredBelowWatermark: 2,
        ok: false,
      },
      '/lake',
    );
    expect(above).toContain(
      '  3 hour(s) at or after the watermark are not covered (a run failed or stopped before them): the next ingest without --from/--to pulls every hour from the watermark on and fills them\n',
    );
    const twice = describeReport(
      { ...report, duplicateIds: 3, duplicateIdsAcrossHours: 2, ok: false },
      '/lake',
    );
    expect(twice).toContain(
      'duplicate ids: 3 (2 also stored in another hour: the same entry in two hours, as a time read in the wrong zone and re-pulled in the right one leaves; see docs/operations.md "Duplicate ids in two hours")',
    );
  });
});

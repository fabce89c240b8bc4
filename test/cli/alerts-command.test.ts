import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { alertsTable } from '../../functions/cli/commands/alerts.ts';
import { main } from '../../functions/cli/main.ts';
import type { Alert } from '../../functions/core/alerts/alert.ts';
import { writeCoverage } from '../../functions/core/lake/coverage.ts';
import { manifest } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

/**
 * The `alerts` command's own paths: its terminal table, the run on a lake no scheduled ingest has
 * written yet, wrong lakes and the usage errors. The run that finds alerts in a lake on disk is in
 * test/core/alerts/alerts-match-sql.test.ts.
 */
let dir: string;
/** A lake with one instance, `acme`, and one hour that `ingest --from --to` wrote: no checkpoint. */
let rangeLake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-alerts-'));
  rangeLake = join(dir, 'lake');
  await writeCoverage(new FsObjectStore(rangeLake), 'acme', manifest('2026-10-01 10:00'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const alert = (fields: Partial<Alert>): Alert => ({
  id: '0'.repeat(32),
  instance: 'main',
  kind: 'lockout',
  user_id: 'u1',
  user_name: 'Ada Lovelace',
  event_time: '2026-11-02 08:15:00.000',
  event_time_ms: Date.parse('2026-11-02T08:15:00Z'),
  evidence: 'locked out after 7 failed logins',
  ip_address: '203.0.113.9',
  event_ids: ['e1'],
  ...fields,
});

describe('alerts table', () => {
  it('shows local time, kind, user and evidence in aligned columns, on one line each', () => {
    const table = alertsTable(
      [
        alert({}),
        alert({
          kind: 'new_country',
          user_name: null,
          user_id: null,
          evidence: 'first login from\tFrance\nin 30 days',
        }),
      ],
      'Europe/Paris',
    );
    const lines = table.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^time \(Europe\/Paris\) +alert +user +evidence$/);
    expect(lines[1]).toMatch(/^2026-11-02 09:15 +lockout +Ada Lovelace +locked out after 7 failed logins$/);
    expect(lines[2]).toMatch(/ login from a new country +unknown user +first login from France in 30 days$/);
    // Columns line up: every row's evidence starts where the header's does.
    const evidenceAt = (lines[0] as string).indexOf('evidence');
    expect(lines.slice(1).every((line) => line.slice(evidenceAt - 1, evidenceAt) === ' ')).toBe(true);
  });

  it('says so when there is none', () => {
    expect(alertsTable([], 'UTC')).toBe('no alerts\n');
  });
});

describe('alerts command', () => {
  it("on a lake without a checkpoint, takes the lake's only instance, lists no alerts and says why", async () => {
    const { io, stdout, stderr } = captureIo();
    expect(await main(['alerts', '--lake', rangeLake, '--out', join(dir, 'out')], io), stderr()).toBe(0);
    expect(stdout()).toBe(
      'no alerts\n(the lake has no ingest checkpoint: alerts cover the hours up to it, and only an ingest without --from/--to writes one)\n',
    );
  });

  it.each([
    [['--format', 'csv'], /--format "csv" is not known: use table or json/],
    [['--burst-failures', 'many'], /--burst-failures "many" must be a whole number/],
    [['--mail-older-than', '0'], /mailOlderThanHours is 0: it must be a whole number from 1 to 8784/],
    [['--instance', '../x'], /instance name "\.\.\/x" is not valid/],
  ])('refuses %j with a usage error (exit 2)', async (args, message) => {
    const { io, stderr } = captureIo();
    expect(await main(['alerts', '--lake', rangeLake, ...args], io)).toBe(2);
    expect(stderr()).toMatch(message);
  });

  it('refuses a lake that is not there, a folder that holds none, and an instance it lacks (exit 1)', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    const cases: [string[], RegExp][] = [
      [['--lake', join(dir, 'nowhere')], /there is no lake at .*nowhere \(no such directory\)/],
      [['--lake', empty], /empty is not a lake: it holds no activity_log\/, coverage\/ or state\/ folder/],
      [['--lake', rangeLake, '--instance', 'main'], /holds no instance "main"; it holds: acme/],
    ];
    for (const [args, message] of cases) {
      const { io, stderr } = captureIo();
      expect(await main(['alerts', ...args], io)).toBe(1);
      expect(stderr()).toMatch(message);
    }
  });
});

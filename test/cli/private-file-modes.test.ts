/**
 * What the command line writes holding rows or events is the owner's only: files 0600, the folders
 * it makes 0700 (review R-PRIVACY L7: under the usual umask 022 they came out world-readable, so
 * every account on a shared host read everyone's Domo activity). Run under umask 022, which
 * would leave 0644 and 0755.
 */
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { MESSAGE_OWNER_FILE, ownMessage } from '../../functions/cli/alerts-message-files.ts';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { main } from '../../functions/cli/main.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { event, manifest, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { NOW } from '../report/known-lake.ts';
import { captureIo } from '../support/capture-io.ts';

const mode = (path: string) => statSync(path).mode & 0o777;

let dir: string;
let umaskBefore: number;
beforeAll(async () => {
  umaskBefore = process.umask(0o022);
  dir = await mkdtemp(join(tmpdir(), 'private-modes-'));
});
afterAll(async () => {
  process.umask(umaskBefore);
  await rm(dir, { recursive: true, force: true });
});

describe('files holding personal data are the owner only', () => {
  it('the local lake: each object 0600, each folder it makes 0700', async () => {
    const lake = join(dir, 'lake');
    const key = 'activity_log/instance=acme/dt=2026-11-18/hour=10/part.json.gz';
    await new FsObjectStore(lake).put(key, new TextEncoder().encode('{}'));
    expect(mode(join(lake, ...key.split('/')))).toBe(0o600);
    for (const folder of [
      lake,
      join(lake, 'activity_log'),
      join(lake, 'activity_log/instance=acme/dt=2026-11-18/hour=10'),
    ])
      expect(mode(folder), folder).toBe(0o700);
  });

  it("report's files and the --out folder it makes", async () => {
    const out = join(dir, 'report-out');
    const { io, stderr } = captureIo();
    // A lake of one hour of the week: the modes are the writer's, whatever the lake holds, and
    // the known lake's report cost ~2 CPU-s more.
    const lake = join(dir, 'report-lake');
    await writeFixtureLake(lake, {
      instance: 'acme',
      events: [event('2026-11-18 10:00:00')],
      coverage: [manifest('2026-11-18 10:00')],
    });
    const args = ['report', '--lake', lake, '--out', out, '--instance', 'acme', '--week', '2026-W47'];
    expect(await main(args, { ...io, clock: { now: () => NOW } }), stderr()).toBe(0);
    expect(mode(out)).toBe(0o700);
    for (const name of ['report.html', 'report.txt', 'report.eml', 'report.json'])
      expect(mode(join(out, name)), name).toBe(0o600);
    expect(mode(join(out, 'reports'))).toBe(0o700);
  });

  it("alerts --out's note of the lake its messages are of, beside them", async () => {
    await ownMessage(dir, { lake: join(dir, 'lake'), instance: 'acme' });
    expect(mode(join(dir, MESSAGE_OWNER_FILE))).toBe(0o600);
  });

  it('query --out and --provenance', async () => {
    const lake = join(dir, 'query-lake');
    await writeFixtureLake(lake, {
      events: [event('2026-11-18 10:00:00')],
      coverage: [manifest('2026-11-18 10:00')],
    });
    const rows = join(dir, 'rows.csv');
    const provenance = join(dir, 'rows.provenance.json');
    const args = [
      'daily_activity',
      '--lake',
      lake,
      '--format',
      'csv',
      '--out',
      rows,
      '--provenance',
      provenance,
    ];
    await queryCommand(
      args,
      { ...captureIo().io, log: silentLog },
      { now: () => Date.parse('2026-11-24T15:00:00Z') },
    );
    expect(mode(rows)).toBe(0o600);
    expect(mode(provenance)).toBe(0o600);
  });
});

import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import {
  GEO_DATABASE_STALE_DAYS,
  geoDatabaseStatus,
  statusCommand,
} from '../../functions/cli/commands/status.ts';
import { DEMO_MARKER } from '../../functions/cli/demo-lake.ts';
import { main } from '../../functions/cli/main.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { bindCustomer } from '../../functions/core/lake/customer-binding.ts';
import { lastRunKey } from '../../functions/core/lake/last-run.ts';
import { checkpointKey, coverageKey, reportSentKey } from '../../functions/core/lake/layout.ts';
import { type ObjectStore, silentLog } from '../../functions/core/ports.ts';
import { encodeMarker } from '../../functions/core/report/sent-marker.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { type LocalS3, startLocalS3 } from '../adapters/s3rver-harness.ts';
import { captureIo } from '../support/capture-io.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';
import { quietIngestDeps } from '../support/quiet-ingest-deps.ts';

const NOW = Date.UTC(2026, 10, 30, 10, 20);

async function ingestInto(
  store: ObjectStore,
  instance: string,
  range?: { fromMs: number; toMs: number },
): Promise<void> {
  const source = new MemoryAuditSource();
  for (let t = NOW - 2 * 24 * HOUR_MS; t < NOW; t += 30 * 60_000) source.add(viewEntry(t, t / 60_000));
  const deps = quietIngestDeps(source, store, NOW);
  const summary = await runIngest(deps, { ...defaultIngestConfig(instance), backfillDays: 1 }, { range });
  // As the command and the function: only a scheduled (checkpoint) run is recorded.
  if (!range) await recordLastRun(store, summary, NOW);
}

/** A sent-marker as the deployed report function writes it into the lake. */
const sentMarker = (instance: string, isoWeek: string) =>
  encodeMarker({
    state: 'sent',
    instance,
    isoWeek,
    attemptId: 'a',
    claimedAt: '2026-11-30T07:00:00.000Z',
    updatedAt: '2026-11-30T07:00:02.000Z',
    subject: 's',
    recipients: 2,
  });

let dir: string;
let lake: string;
/** A lake of `main` filled by a week's range only (no checkpoint), which its two tests only read. */
let rangeOnly: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-status-'));
  lake = join(dir, 'lake');
  await ingestInto(new FsObjectStore(lake), 'main');
  await ingestInto(new FsObjectStore(lake), 'acme');
  rangeOnly = join(dir, 'range-only');
  const range = { fromMs: Date.UTC(2026, 10, 22), toMs: Date.UTC(2026, 10, 29) };
  await ingestInto(new FsObjectStore(rangeOnly), 'main', range);
});

/**
 * A copy of the two-instance lake at `name`, for a test that changes it: a copy of its files costs
 * a fraction of ingesting the same hours again (hashes, gzip, digests).
 */
async function copyOfLake(name: string): Promise<string> {
  const copy = join(dir, name);
  await cp(lake, copy, { recursive: true });
  return copy;
}
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the geo database line', () => {
  it('says when the data is due for an update, and why it could not be read', () => {
    const fresh = geoDatabaseStatus(Date.UTC(2026, 5, 20), () => ({
      version: 'v',
      releasedAt: '2026-06-17',
    }));
    expect(fresh).toEqual({ version: 'v', releasedAt: '2026-06-17', ageDays: 3 });
    const old = geoDatabaseStatus(Date.UTC(2026, 10, 30), () => ({ version: 'v', releasedAt: '2026-06-17' }));
    expect(old.ageDays).toBeGreaterThan(GEO_DATABASE_STALE_DAYS);
    const broken = geoDatabaseStatus(NOW, () => {
      throw new Error('cannot read the geo database x');
    });
    expect(broken).toMatchObject({ version: null, error: 'cannot read the geo database x' });
  });
});

describe('status on a lake on disk', () => {
  it('shows every instance in a compact table and exits 0 while none is late', async () => {
    const { io, stdout } = captureIo();
    const result = await statusCommand(['--lake', lake], {
      ...io,
      log: silentLog,
      clock: { now: () => NOW },
    });
    expect(result.ok).toBe(true);
    const lines = stdout().split('\n');
    expect(lines[0]).toBe(`status of ${lake} at 2026-11-30 10:20 UTC (times in UTC)`);
    expect(lines[2]).toMatch(
      /^instance\s+state\s+watermark\s+behind\s+last run\s+missing 7d\s+quar\. 7d\s+last report\s+next report$/,
    );
    // No report function ever wrote to this lake: the report is not enabled, so nothing is due.
    expect(lines[3]).toMatch(
      /^acme\s+ok\s+11-30 10:00\s+20m\s+11-30 10:20 ok, \d+ ev\s+0\/\d+\s+0\s+none\s+not enabled$/,
    );
    expect(lines[4]).toMatch(/^main\s+ok\s+11-30 10:00\s+20m/);
    expect(stdout()).toContain('every instance is within its lag threshold');
    // The geo database this installation ships: version, release date, age, and the update when due.
    expect(result.geoDatabase.version).toMatch(/^dbip-country@[\d.]+\+asn@[\d.]+\+rules@\d+\.0\.\d{10}$/);
    const released = Date.parse(`${result.geoDatabase.releasedAt}T00:00:00Z`);
    expect(result.geoDatabase.ageDays).toBe(Math.floor((NOW - released) / 86_400_000));
    expect(stdout()).toContain(
      `geo database: released ${result.geoDatabase.releasedAt}, ${result.geoDatabase.ageDays} days old\n  ${result.geoDatabase.version}\n`,
    );
  });

  // review R-MSP H1: two customers' secrets swapped at onboarding show as each holding the other's.
  it('shows the Domo customer each instance is bound to, once one is', async () => {
    const bound = join(dir, 'bound');
    await cp(lake, bound, { recursive: true });
    await bindCustomer(new FsObjectStore(bound), {
      instance: 'acme',
      customer: 'acme-corp',
      runId: 'r',
      now: NOW,
    });
    const { io, stdout } = captureIo();
    const result = await statusCommand(['--lake', bound], {
      ...io,
      log: silentLog,
      clock: { now: () => NOW },
    });
    const lines = stdout().split('\n');
    expect(lines[2]).toMatch(/^instance\s+customer\s+state\s+watermark/);
    expect(lines[3]).toMatch(/^acme\s+acme-corp\s+ok\s+11-30 10:00/);
    expect(lines[4]).toMatch(/^main\s+-\s+ok\s+11-30 10:00/);
    expect(result.instances.map((i) => i.customer)).toEqual(['acme-corp', null]);
  });

  // review R-MSP M3: a removed instance's watermark stops for good; it must not read LATE for ever.
  it('shows an instance marked retired as retired, with no lag note, and exits 0 on it', async () => {
    const retired = join(dir, 'retired');
    await cp(lake, retired, { recursive: true });
    await writeFile(
      join(retired, 'state/instance=acme/retired.json'),
      JSON.stringify({ reason: 'customer left 2026-11', retired_at: '2026-11-30' }),
    );
    const later = () => NOW + 5 * HOUR_MS;
    const { io, stdout } = captureIo();
    const result = await statusCommand(['--lake', retired], { ...io, log: silentLog, clock: { now: later } });
    expect(stdout()).toMatch(/\nacme +retired +/);
    expect(stdout()).toContain('acme: retired (customer left 2026-11): removed from the deployment');
    expect(stdout()).not.toContain('acme: 5h 20m behind');
    // main is still late: only the retired one stops counting.
    expect(result.ok).toBe(false);
    await rm(join(retired, 'state/instance=main'), { recursive: true, force: true });
    await writeFile(join(retired, 'state/instance=acme/retired.json'), 'not json');
    const again = captureIo();
    const one = await statusCommand(['--lake', retired, '--instance', 'acme'], {
      ...again.io,
      log: silentLog,
      clock: { now: later },
    });
    expect(one.ok).toBe(true);
    expect(one.instances[0]?.retired).toEqual({ reason: '' });
  });

  // A cdk.json beside a lake on disk (the checkout's sample, another deployment's) is not that
  // lake's deployment: its list must not retire the lake's instances; --retired names them instead.
  it("leaves cdk.json's retiredInstances out on a lake it does not deploy, saying so; --retired names them", async () => {
    const stackConfigFile = join(dir, 'offboarded-cdk.json');
    await writeFile(
      stackConfigFile,
      JSON.stringify({
        context: { activityLake: { instances: [{ name: 'main' }], retiredInstances: ['acme'] } },
      }),
    );
    const later = { log: silentLog, clock: { now: () => NOW + 5 * HOUR_MS } };
    const ignored = captureIo();
    const counted = await statusCommand(
      ['--lake', lake, '--instance', 'acme'],
      { ...ignored.io, ...later },
      { stackConfigFile },
    );
    expect(counted.ok).toBe(false);
    expect(ignored.stdout()).toContain('acme: 5h 20m behind');
    expect(ignored.stderr()).toBe(
      `note: ${stackConfigFile}'s retiredInstances (acme) not applied: ${lake} is not the lake it deploys (s3://domoactivitylake-storagelake…); to count them retired here, pass --retired acme\n`,
    );
    const { io, stdout, stderr } = captureIo();
    // Beside that cdk.json, as its note advises: the note is not said again.
    const result = await statusCommand(
      ['--lake', lake, '--retired', ' acme,'],
      { ...io, ...later },
      { stackConfigFile },
    );
    expect(stdout()).toMatch(/\nacme +retired +/);
    expect(stdout()).toContain(
      'acme: retired: removed from the deployment, so not counted in the exit status; leave it out of --retired to count it again',
    );
    expect(stdout()).not.toContain('acme: 5h 20m behind');
    expect(result.instances.find((i) => i.instance === 'acme')?.retired).toEqual({
      reason: '',
      byOption: true,
    });
    // main, not named, is late: only the retired one stops counting.
    expect(stdout()).toContain('main: 5h 20m behind');
    expect(result.ok).toBe(false);
    expect(stderr()).toBe('');
  });

  it('exits 1 past the lag threshold, and says what to look at', async () => {
    const { io, stdout } = captureIo();
    const later = () => NOW + 5 * HOUR_MS;
    const result = await statusCommand(['--lake', lake, '--instance', 'main', '--format', 'json'], {
      ...io,
      log: silentLog,
      clock: { now: later },
    });
    expect(result.ok).toBe(false);
    const json = JSON.parse(stdout());
    expect(json.instances).toHaveLength(1);
    expect(json.instances[0]).toMatchObject({
      instance: 'main',
      late: true,
      behindMs: 5 * HOUR_MS + 20 * 60_000,
    });
    const table = captureIo();
    await statusCommand(['--lake', lake, '--lag-hours', '2'], {
      ...table.io,
      log: silentLog,
      clock: { now: later },
    });
    expect(table.stdout()).toContain(
      'main: 5h 20m behind, over the 2 h threshold: see docs/operations.md, section "<instance>-Lag"',
    );
    // Through main, as a scheduler or script sees it: the exit status says it is late.
    const viaMain = captureIo();
    expect(await main(['status', '--lake', lake], { ...viaMain.io, clock: { now: later } })).toBe(1);
    expect(await main(['status', '--lake', lake], { ...viaMain.io, clock: { now: () => NOW } })).toBe(0);
  });

  it('reads a lake the demo built whole as built then, not LATE, and exits 0 on it', async () => {
    const demoLake = await copyOfLake('demo-built');
    await writeFile(join(demoLake, DEMO_MARKER), '');
    const runFile = join(demoLake, lastRunKey('main'));
    const record = JSON.parse(await readFile(runFile, 'utf8')) as Record<string, unknown>;
    await writeFile(runFile, JSON.stringify({ ...record, trigger: 'demo' }));
    const later = () => NOW + 18 * HOUR_MS;
    const table = captureIo();
    const result = await statusCommand(['--lake', demoLake, '--instance', 'main'], {
      ...table.io,
      log: silentLog,
      clock: { now: later },
    });
    expect(result.ok).toBe(true);
    expect(table.stdout()).toMatch(/\nmain +demo +/);
    expect(table.stdout()).toContain(
      'main: built by the demo at 2026-11-30 10:20 UTC; nothing updates it: run the demo again for current data',
    );
    expect(table.stdout()).not.toContain('-Lag');
    // The JSON says so too: `late` alone read it as the lag alarm's case.
    const json = captureIo();
    await statusCommand(['--lake', demoLake, '--instance', 'main', '--format', 'json'], {
      ...json.io,
      log: silentLog,
      clock: { now: later },
    });
    expect(JSON.parse(json.stdout()).instances[0]).toMatchObject({
      instance: 'main',
      late: true,
      state: 'demo',
    });
    // The other instance, which ingest ran, is late as ever.
    const viaMain = captureIo();
    expect(await main(['status', '--lake', demoLake], { ...viaMain.io, clock: { now: later } })).toBe(1);
    expect(viaMain.stdout()).toMatch(/\nacme +LATE +/);
  });

  it('reads a lake whose demo failed as incomplete, not built whole, and exits 1 on it', async () => {
    const demoLake = await copyOfLake('demo-failed');
    await writeFile(join(demoLake, DEMO_MARKER), '');
    const runFile = join(demoLake, lastRunKey('main'));
    const record = JSON.parse(await readFile(runFile, 'utf8')) as Record<string, unknown>;
    const failed = { ...record, trigger: 'demo', outcome: 'failed', first_failure: 'Domo answered 500' };
    await writeFile(runFile, JSON.stringify(failed));
    const table = captureIo();
    const result = await statusCommand(['--lake', demoLake, '--instance', 'main'], {
      ...table.io,
      log: silentLog,
      clock: { now: () => NOW + 18 * HOUR_MS },
    });
    expect(result.ok).toBe(false);
    const said = table.stdout().replace(/\s+/g, ' ');
    expect(said).toMatch(
      /main: [^:]+ behind, over the \d+ h threshold: the demo that built this lake failed: run the demo again to build it whole/,
    );
    expect(said).toContain('main: last run failed: Domo answered 500');
    expect(said).not.toContain('built by the demo at');
    expect(said).not.toContain('IngestErrors');
  });

  // Review STATUS2: status took a lake for the demo's by its last run record, verify and ingest by
  // the demo's marker: a copy of the demo's lake without it, which ingest takes, read `demo`, exit 0.
  it("reads a copy of the demo's lake without its marker as late, as verify and ingest take it", async () => {
    const copy = await copyOfLake('demo-copy');
    const runFile = join(copy, lastRunKey('main'));
    const record = JSON.parse(await readFile(runFile, 'utf8')) as Record<string, unknown>;
    await writeFile(runFile, JSON.stringify({ ...record, trigger: 'demo' }));
    const table = captureIo();
    const later = () => NOW + 18 * HOUR_MS;
    const result = await statusCommand(['--lake', copy, '--instance', 'main'], {
      ...table.io,
      log: silentLog,
      clock: { now: later },
    });
    expect(result.ok).toBe(false);
    expect(table.stdout()).toMatch(/\nmain +LATE +/);
    expect(table.stdout().replace(/\s+/g, ' ')).toContain(
      "its last run is the demo's, but the lake lacks the demo's marker file",
    );
    const json = captureIo();
    await statusCommand(['--lake', copy, '--instance', 'main', '--format', 'json'], {
      ...json.io,
      log: silentLog,
      clock: { now: later },
    });
    expect(JSON.parse(json.stdout()).instances[0]).toMatchObject({ state: 'LATE' });
  });

  it("reads the demo's lake whose demo recorded no run as the demo's to build again", async () => {
    const demoLake = await copyOfLake('demo-unrecorded');
    await writeFile(join(demoLake, DEMO_MARKER), '');
    await rm(join(demoLake, lastRunKey('main')));
    const table = captureIo();
    const result = await statusCommand(['--lake', demoLake, '--instance', 'main'], {
      ...table.io,
      log: silentLog,
      clock: { now: () => NOW + 18 * HOUR_MS },
    });
    expect(result.ok).toBe(false);
    expect(table.stdout().replace(/\s+/g, ' ')).toContain(
      'the demo that built this lake stopped early (interrupted): run the demo again to build it whole',
    );
  });

  // Carried since stop 78 (review R-SECOND7 L1): verify names a digest chain of a name the lake
  // holds no instance of (a chain copied beside its own), status said nothing of it.
  it('names a digest chain of no instance of the lake, without failing on it', async () => {
    const copy = await copyOfLake('chain-copy');
    await cp(join(copy, 'digest/instance=main'), join(copy, 'digest/instance=mainbak'), { recursive: true });
    const table = captureIo();
    const result = await statusCommand(['--lake', copy], {
      ...table.io,
      log: silentLog,
      clock: { now: () => NOW },
    });
    expect(result.ok).toBe(true);
    expect(result.chainsWithoutInstance).toEqual(['digest/instance=mainbak/']);
    expect(table.stdout().replace(/\s+/g, ' ')).toContain(
      'digest/instance=mainbak/ is a digest chain of an instance "mainbak" the lake holds no events, manifest or checkpoint of',
    );
    const json = captureIo();
    await statusCommand(['--lake', copy, '--format', 'json'], {
      ...json.io,
      log: silentLog,
      clock: { now: () => NOW },
    });
    expect(JSON.parse(json.stdout()).chainsWithoutInstance).toEqual(['digest/instance=mainbak/']);
  });

  it('exits 1 and shows AHEAD when the watermark lies in the future, with the section to read', async () => {
    // The clock read a day early: the stored watermark is then in its future.
    const earlier = () => NOW - 24 * HOUR_MS;
    const table = captureIo();
    const result = await statusCommand(['--lake', lake, '--instance', 'main'], {
      ...table.io,
      log: silentLog,
      clock: { now: earlier },
    });
    expect(result.ok).toBe(false);
    expect(table.stdout()).toMatch(/\nmain +AHEAD +/);
    expect(table.stdout()).toContain(
      `main: the watermark is in the future: the checkpoint was edited or restored from elsewhere (or this machine's clock is behind), and the scheduled ingest refuses to run until it is fixed: see docs/operations.md, section "Watermark in the future"`,
    );
  });

  it('shows the other instances when one checkpoint is corrupt, and that one as CORRUPT with why', async () => {
    const broken = await copyOfLake('corrupt-checkpoint');
    await new FsObjectStore(broken).put(checkpointKey('acme'), new TextEncoder().encode('{"version":1,'));
    const table = captureIo();
    const result = await statusCommand(['--lake', broken], {
      ...table.io,
      log: silentLog,
      clock: { now: () => NOW },
    });
    expect(result.ok).toBe(false);
    expect(table.stdout()).toMatch(/\nacme +CORRUPT +/);
    expect(table.stdout()).toMatch(/\nmain +ok +/);
    expect(table.stdout()).toMatch(
      /\nacme: checkpoint state\/instance=acme\/checkpoint\.json at .* is corrupt \(not valid JSON/,
    );
  });

  it('shows an instance whose state a newer version wrote as NEWER, not CORRUPT, with what to do', async () => {
    const newer = await copyOfLake('newer-version');
    const store = new FsObjectStore(newer);
    const v2 = (value: object) => new TextEncoder().encode(JSON.stringify({ ...value, version: 2 }));
    await store.put(checkpointKey('acme'), v2({ instance: 'acme', watermarks: {} }));
    await store.put(lastRunKey('acme'), v2({ instance: 'acme', finished_at_ms: NOW }));
    const table = captureIo();
    const result = await statusCommand(['--lake', newer], {
      ...table.io,
      log: silentLog,
      clock: { now: () => NOW },
    });
    expect(result.ok).toBe(false);
    expect(table.stdout()).toMatch(/\nacme +NEWER +none +- +newer version +/);
    expect(table.stdout()).toMatch(/\nmain +ok +/);
    expect(table.stdout()).toMatch(
      /\nacme: checkpoint state\/instance=acme\/checkpoint\.json at .* was written by a newer version of domo-activity-lake \(checkpoint v2; this one reads v1\): update this one/,
    );
    expect(table.stdout()).toContain(
      '\nacme: last run record state/instance=acme/last-run.json was written by a newer version',
    );
  });

  it('shows the week due of a report that runs, and none of one that stopped; neither changes the exit', async () => {
    const reported = await copyOfLake('reported');
    await new FsObjectStore(reported).put(reportSentKey('main', '2026-W48'), sentMarker('main', '2026-W48'));
    await new FsObjectStore(reported).put(reportSentKey('acme', '2026-W45'), sentMarker('acme', '2026-W45'));
    const table = captureIo();
    const result = await statusCommand(['--lake', reported], {
      ...table.io,
      log: silentLog,
      clock: { now: () => NOW },
    });
    expect(result.ok).toBe(true);
    expect(table.stdout()).toMatch(/\nmain +ok +.* 2026-W48 sent 11-30 +2026-W49 12-07\n/);
    expect(table.stdout()).toMatch(/\nacme +ok +.* 2026-W45 sent 11-30 +stopped\n/);
    expect(table.stdout()).toContain('every instance is within its lag threshold');
  });

  it('reads a lake filled by explicit ranges only as range-only, exit 0, and says so', async () => {
    const { io, stdout } = captureIo();
    expect(await main(['status', '--lake', rangeOnly], { ...io, clock: { now: () => NOW } })).toBe(0);
    expect(stdout()).toMatch(/\nmain +range-only +none +- +none recorded +0\/\d+ +0 +none +not enabled\n/);
    expect(stdout()).toContain(
      'main: range-only lake: hours 2026-11-22 00:00 to 2026-11-29 00:00 UTC ingested with --from/--to; no scheduled ingest has run here (no checkpoint), so there is no lag to check. If one is deployed, it has never saved an hour: see docs/operations.md, section "<instance>-NoSuccessfulRun"',
    );
  });

  it('counts the hours missing inside a range-only lake (an interrupted range)', async () => {
    // Review R-OPS: "hours X to Y ingested" read as whole while verify found gaps in them.
    const gappy = join(dir, 'range-only-gaps');
    await cp(rangeOnly, gappy, { recursive: true });
    for (const hour of [30, 31, 90])
      await rm(join(gappy, coverageKey('main', Date.UTC(2026, 10, 22) + hour * HOUR_MS)));
    const { io, stdout } = captureIo();
    expect(await main(['status', '--lake', gappy], { ...io, clock: { now: () => NOW } })).toBe(0);
    expect(stdout().replace(/\s+/g, ' ')).toContain(
      'main: range-only lake: hours 2026-11-22 00:00 to 2026-11-29 00:00 UTC ingested with --from/--to (3 hours of it not covered: run verify for the gaps); no scheduled ingest',
    );
  });

  it('wraps a note longer than the terminal between words, under its instance', async () => {
    const { io, stdout } = captureIo();
    const terminal = Object.assign(io.stdout, { isTTY: true, columns: 60 });
    await statusCommand(['--lake', rangeOnly], {
      ...io,
      stdout: terminal,
      log: silentLog,
      clock: { now: () => NOW },
    });
    const lines = stdout().trimEnd().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(60);
    const start = lines.findIndex((line) => line.startsWith('main: range-only lake:'));
    const end = lines.findIndex((line, i) => i > start && !line.startsWith('      '));
    const note = lines.slice(start, end);
    expect(note.length).toBeGreaterThan(3);
    // The lines after the first hang under the text after `main: `, and every word is whole.
    for (const line of note.slice(1)) expect(line).toMatch(/^ {6}\S/);
    // The geo database's version, one word longer than the line, comes in pieces broken before a
    // `+`, each two columns in, that join back into the version.
    const geo = lines.findIndex((line) => line.startsWith('geo database: released'));
    const version = lines.slice(geo + 1).filter((line) => /^ {2}\+?[a-z-]+@/.test(line));
    expect(version.length).toBeGreaterThan(1);
    expect(version.map((line) => line.trim()).join('')).toMatch(
      /^dbip-country@[\d.]+\+asn@[\d.]+\+rules@[\d.]+$/,
    );
    expect(note.map((line) => line.trim()).join(' ')).toBe(
      'main: range-only lake: hours 2026-11-22 00:00 to 2026-11-29 00:00 UTC ingested with --from/--to; no scheduled ingest has run here (no checkpoint), so there is no lag to check. If one is deployed, it has never saved an hour: see docs/operations.md, section "<instance>-NoSuccessfulRun"',
    );
  });

  it('is a wrong target (exit 1) on a lake without the instance, through main', async () => {
    const { io, stderr } = captureIo();
    expect(await main(['status', '--lake', lake, '--instance', 'other'], io)).toBe(1);
    expect(stderr()).toContain('holds no instance "other"; it holds: acme, main');
  });
});

describe('status on S3 with read access only', () => {
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startLocalS3('status-lake');
    await ingestInto(new S3ObjectStore({ client: s3.client, bucket: 'status-lake', prefix: 'lake' }), 'main');
  });
  afterAll(async () => {
    await s3.stop();
  });

  it('reads the same figures with nothing but list and get requests', async () => {
    const commands: string[] = [];
    s3.client.middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    const { io } = captureIo();
    const result = await statusCommand(
      ['--lake', 's3://status-lake/lake', '--format', 'json'],
      { ...io, log: silentLog, clock: { now: () => NOW } },
      { s3Client: s3.client },
    );
    expect(result.ok).toBe(true);
    expect(result.instances[0]).toMatchObject({
      instance: 'main',
      watermarkMs: Date.UTC(2026, 10, 30, 10),
      missingHours: 0,
    });
    expect(result.instances[0]?.lastRun?.outcome).toBe('ok');
    // HEAD: the search for the digest chain's last digest (is it sealed?), a read as GET is.
    expect(new Set(commands)).toEqual(
      new Set(['ListObjectsV2Command', 'GetObjectCommand', 'HeadObjectCommand']),
    );
  });

  // An offboarding is the cdk.json edit (docs/operations.md): status reads it, no retired.json by
  // hand, on the lake that cdk.json deploys: its bucket, read at the root as the functions write it.
  it("shows an instance of cdk.json's retiredInstances as retired on the lake it deploys, and exits 0 on it", async () => {
    await ingestInto(new S3ObjectStore({ client: s3.client, bucket: 'status-lake', prefix: '' }), 'acme');
    const stackConfigFile = join(dir, 'adopting-cdk.json');
    await writeFile(
      stackConfigFile,
      JSON.stringify({
        context: {
          activityLake: { adoptLake: { bucketName: 'status-lake' }, retiredInstances: ['acme', 'main'] },
        },
      }),
    );
    const later = { log: silentLog, clock: { now: () => NOW + 5 * HOUR_MS } };
    const { io, stdout, stderr } = captureIo();
    const result = await statusCommand(
      ['--lake', 's3://status-lake'],
      { ...io, ...later },
      {
        s3Client: s3.client,
        stackConfigFile,
      },
    );
    expect(stdout()).toContain(
      'acme: retired: removed from the deployment, so not counted in the exit status; take it out of retiredInstances in cdk.json to count it again',
    );
    expect(result.instances.map((i) => [i.instance, i.retired])).toEqual([
      ['acme', { reason: '', byStack: true }],
    ]);
    expect(result.ok).toBe(true);
    expect(stderr()).toBe('');
    // The same bucket under a prefix is no lake the stack writes: its list is left out there.
    const prefixed = captureIo();
    const other = await statusCommand(
      ['--lake', 's3://status-lake/lake'],
      { ...prefixed.io, ...later },
      {
        s3Client: s3.client,
        stackConfigFile,
      },
    );
    expect(other.instances.map((i) => [i.instance, i.retired])).toEqual([['main', null]]);
    expect(prefixed.stderr()).toContain(
      'not applied: s3://status-lake/lake is not the lake it deploys (s3://status-lake)',
    );
  });

  it('says what to do when the AWS credentials are missing, from the first listing on', async () => {
    const noCredentials = new S3Client({
      region: 'eu-west-1',
      credentials: async () => {
        throw Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        });
      },
    });
    const { io } = captureIo();
    await expect(
      statusCommand(
        ['--lake', 's3://status-lake/lake'],
        { ...io, log: silentLog },
        { s3Client: noCredentials },
      ),
    ).rejects.toThrow(
      /^S3 ListObjectsV2 of s3:\/\/status-lake\/lake\/activity_log\/ failed with CredentialsProviderError: Could not load credentials from any providers\. The AWS credentials are missing, wrong or expired: refresh them/,
    );
  });
});

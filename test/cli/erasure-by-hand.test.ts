/**
 * docs/privacy.md, "Erasing one person by hand", followed on a lake on disk. Review PRIVACY
 * (2026-12-07): the procedure it replaced said to rewrite the hours and accept the `changed`
 * findings; followed on the demo's lake, plain `verify` then failed on every rewritten hour with a
 * `mismatch` no `--accept` clears (the coverage manifests still counted the rows), and quarantine,
 * the manifests and the alerts' state were left holding the person. Its lake held no row naming
 * the person as an object or in text, so dropping their `user_id`/`actor_id` rows passed by luck:
 * it now holds an admin's such rows, and step 2 decides by `user_activity` with `named`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { LAKE_FOLDERS } from '../../functions/core/lake/layout.ts';
import type { SimEvent, SimUser } from '../../functions/simulator/index.ts';
import { type EntryUser, makeEntry } from '../../functions/simulator/sim-event.ts';
import { captureIo } from '../support/capture-io.ts';
import { closeChainLakeSimulator, sixHourLake } from '../support/chain-lake.ts';

const privacy = readFileSync(new URL('../../docs/privacy.md', import.meta.url), 'utf8');
const procedure = privacy.slice(
  privacy.indexOf('#### Erasing one person by hand'),
  privacy.indexOf('## Data minimisation'),
);

let dir: string;
let lake: string;
/** The person erased: the lake's busiest user, whom the admin also names as the object of its events. */
let person: EntryUser;

/**
 * Rows of the admin that name the person only as their object (a role change: `subject`) or in
 * text (a group they were added to: `named`): dropping the person's own rows leaves these, so
 * the erasure must decide them as step 2 says.
 */
function adminNaming([admin, target]: readonly SimUser[]): SimEvent[] {
  const session = {
    device: 'desktop',
    browserDetails: admin?.desktopBrowser ?? '',
    ipAddress: '86.182.239.138',
  };
  const user = admin as SimUser;
  person = target as SimUser;
  const at = Date.parse('2026-09-30T14:07:00Z');
  return [
    {
      timeMs: at,
      entry: makeEntry({
        user,
        actionType: 'UPDATED',
        eventText: 'Updated user role',
        objectType: 'USER',
        objectId: person.userId,
        objectName: person.userName,
        additionalComment: `${user.userName} changed the role of ${person.userName} to Editor.`,
        session,
      }),
    },
    {
      timeMs: at + 60_000,
      entry: makeEntry({
        user,
        actionType: 'ADDED_TO_GROUP',
        eventText: 'Added user to group',
        objectType: 'GROUP',
        objectId: '4711',
        objectName: 'Finance',
        additionalComment: `${user.userName} added ${person.userName} to group Finance.`,
        session,
      }),
    },
  ];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'erasure-by-hand-'));
  lake = join(dir, 'lake');
  const store = new FsObjectStore(lake);
  for (const [key, { body }] of (await sixHourLake(adminNaming)).store.objects) await store.put(key, body);
});
afterAll(async () => {
  await closeChainLakeSimulator();
  await rm(dir, { recursive: true, force: true });
});

async function verify(...extra: string[]) {
  const io = captureIo();
  const code = await main(['verify', '--lake', lake, '--instance', 'acme', ...extra], io.io);
  return { code, stdout: io.stdout() };
}

/** Every file under `root`, relative to it. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(root.length + 1));
}

const linesOf = (body: Buffer): string[] =>
  gunzipSync(body)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '');

/**
 * Step 2, as the procedure words it: the rows the access request's user_activity lists by the
 * person's id and name (their own, as actor, as subject, named); here every one is dropped.
 */
async function theirRows(): Promise<{ involvement: string; event_id: string }[]> {
  const io = captureIo();
  await main(
    [
      'query',
      'user_activity',
      '--lake',
      lake,
      '--param',
      `user_id=${person.userId}`,
      '--param',
      `named=${person.userName}`,
      '--from',
      '2026-09-29',
      '--to',
      '2026-10-02',
      '--format',
      'json',
    ],
    io.io,
  );
  return JSON.parse(io.stdout()) as { involvement: string; event_id: string }[];
}

/** Step 3: each hour and its quarantined entries without the rows decided; the keys rewritten. */
async function dropRows(files: string[], eventIds: Set<string>): Promise<Map<string, number>> {
  const dropped = new Map<string, number>();
  const named = (line: string) =>
    line.includes(person.userId) || line.toLowerCase().includes(person.userName.toLowerCase());
  for (const key of files.filter((f) => /^(activity_log|quarantine)\/.*\.ndjson\.gz$/.test(f))) {
    const lines = linesOf(await readFile(join(lake, key)));
    const kept = key.startsWith('activity_log/')
      ? lines.filter((line) => !eventIds.has((JSON.parse(line) as { event_id: string }).event_id))
      : lines.filter((line) => !named(line));
    if (kept.length === lines.length) continue;
    dropped.set(key, lines.length - kept.length);
    await writeFile(join(lake, key), gzipSync(kept.map((line) => `${line}\n`).join('')));
  }
  return dropped;
}

/** The last event count the digest chain recorded of each hour object, by key. */
async function recordedCounts(files: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, { sequence: number; records: number }>();
  for (const key of files.filter((f) => f.startsWith('digest/'))) {
    const digest = JSON.parse(await readFile(join(lake, key), 'utf8')) as {
      sequence: number;
      objects: { key: string; records: number | null }[];
    };
    for (const o of digest.objects)
      if (typeof o.records === 'number' && (counts.get(o.key)?.sequence ?? -1) < digest.sequence)
        counts.set(o.key, { sequence: digest.sequence, records: o.records });
  }
  return new Map([...counts].map(([key, { records }]) => [key, records]));
}

/** Step 4, as the procedure words it: the manifest's counts and hash of what the hour holds now. */
async function rewriteManifest(hourKey: string): Promise<string> {
  const key = hourKey.replace(/^(activity_log|quarantine)\//, 'coverage/').replace(/\.ndjson\.gz$/, '.json');
  const read = async (k: string) => readFile(join(lake, k)).then(linesOf, () => [] as string[]);
  const events = await read(key.replace(/^coverage\//, 'activity_log/').replace(/\.json$/, '.ndjson.gz'));
  const quarantined = await read(key.replace(/^coverage\//, 'quarantine/').replace(/\.json$/, '.ndjson.gz'));
  const manifest = JSON.parse(await readFile(join(lake, key), 'utf8')) as Record<string, number | string>;
  const ids = events.map((line) => (JSON.parse(line) as { event_id: string }).event_id).sort();
  const before = (manifest.event_count as number) + (manifest.quarantined_count as number);
  manifest.content_hash = createHash('sha256')
    .update(ids.map((id) => `${id}\n`).join(''))
    .digest('hex');
  manifest.event_count = events.length;
  manifest.quarantined_count = quarantined.length;
  if (typeof manifest.entries_read === 'number')
    manifest.entries_read -= before - events.length - quarantined.length;
  await writeFile(join(lake, key), JSON.stringify(manifest));
  return key;
}

describe("privacy.md's erasure by hand", () => {
  it('names every lake folder that holds people, the manifest fields it rewrites, and what lies outside', () => {
    for (const folder of LAKE_FOLDERS.filter((f) => f !== 'state' && f !== 'digest'))
      expect(procedure, folder).toContain(`${folder}/`);
    for (const field of ['event_count', 'content_hash', 'quarantined_count', 'entries_read'])
      expect(procedure, field).toContain(`\`${field}\``);
    for (const place of ['athenaResultsDays', 'query history', '--accept', 'repullAfterHours'])
      expect(procedure, place).toContain(place);
  });

  it('leaves no byte of the person in the lake, and verify --integrity passes once the rewrite is accepted', async () => {
    // The head an auditor noted before the erasure (operations.md, "One customer's auditor").
    const before = JSON.parse((await verify('--integrity', '--json')).stdout) as {
      integrity: { head: { key: string; sha256: string } };
    };
    const noted = `${before.integrity.head.key}=${before.integrity.head.sha256}`;
    const files = await filesUnder(lake);
    const rows = await theirRows();
    // Their own rows, and the admin's naming them as object and in text, which their id alone misses.
    expect(new Set(rows.map((r) => r.involvement))).toEqual(new Set(['user', 'subject', 'named']));
    expect(procedure).toMatch(/`user_activity` with\s+`named`[^.]*lists each such row/);
    const dropped = await dropRows(files, new Set(rows.map((r) => r.event_id)));
    expect(dropped.size).toBeGreaterThan(1);
    // What stays, as the procedure says: no row, but the digests' event counts of the hours before
    // the erasure, kept forever, less the hours' counts now are the person's events in each hour.
    const recorded = await recordedCounts(files);
    for (const [key, count] of dropped)
      if (key.startsWith('activity_log/'))
        expect((recorded.get(key) ?? 0) - linesOf(await readFile(join(lake, key))).length, key).toBe(count);
    expect(procedure).toMatch(/`records`[^.]*event count/);
    expect(procedure).toMatch(/at which hours the person was active/);

    // The hours alone: the manifests still count the rows, a mismatch no accept clears.
    const hoursOnly = await verify();
    expect(hoursOnly.code).toBe(1);
    expect(hoursOnly.stdout).toMatch(/mismatch at .*: manifest says \d+ events, object holds \d+/);
    // The runbook it names says to restore or re-pull a mismatched hour, which brings the rows
    // back: it must send an erased hour to the manifest's step instead.
    const runbook = /what to do \(mismatch\): see docs\/operations\.md "([^"]+)"/.exec(hoursOnly.stdout)?.[1];
    const operations = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    const heading = operations
      .split('\n')
      .find((line) => line.startsWith('### ') && line.replaceAll('`', '').includes(runbook ?? '?'));
    expect(heading, runbook).toBeDefined();
    const section = operations.slice(operations.indexOf(heading as string));
    const mismatch = section.slice(
      section.indexOf('- **`mismatch at …`**'),
      section.indexOf('\n- **', section.indexOf('- **`mismatch at …`**') + 1),
    );
    expect(mismatch).toContain('privacy.md#erasing-one-person-by-hand');

    const manifests = new Set<string>();
    for (const key of dropped.keys()) manifests.add(await rewriteManifest(key));
    const plain = await verify();
    expect(plain.stdout).not.toContain('mismatch');
    expect(plain.code, plain.stdout).toBe(0);

    const report = await verify('--integrity', '--json');
    expect(report.code).toBe(1);
    const findings = (
      JSON.parse(report.stdout) as { integrity: { problems: { kind: string; key: string }[] } }
    ).integrity.problems;
    expect(new Set(findings.map((f) => f.kind))).toEqual(new Set(['changed']));
    expect(new Set(findings.map((f) => f.key))).toEqual(new Set([...dropped.keys(), ...manifests]));
    const accepted = join(dir, 'erasure-case.json');
    await writeFile(accepted, report.stdout);
    const after = await verify('--integrity', '--accept', accepted);
    expect(after.code, after.stdout).toBe(0);
    // Anchored at the head noted before, without a key: each rewritten object is also a
    // `changed-since-noted` finding, which the same file accepts for the same bytes only.
    const anchored = await verify('--integrity', '--expect-head', noted, '--accept', accepted);
    expect(anchored.stdout).toContain(`${2 * findings.length} finding(s) accepted as known`);
    expect(anchored.code, anchored.stdout).toBe(0);
    const [hour] = dropped.keys();
    const erased = await readFile(join(lake, hour as string));
    // The same rows in other bytes (an empty gzip member appended): not the bytes accepted.
    await writeFile(join(lake, hour as string), Buffer.concat([erased, gzipSync('')]));
    const otherBytes = await verify('--integrity', '--expect-head', noted, '--accept', accepted, '--json');
    expect(otherBytes.code).toBe(1);
    const failed = (
      JSON.parse(otherBytes.stdout) as { integrity: { problems: { kind: string; key: string }[] } }
    ).integrity.problems;
    expect(failed).toContainEqual(expect.objectContaining({ kind: 'changed-since-noted', key: hour }));
    await writeFile(join(lake, hour as string), erased);

    for (const key of await filesUnder(lake)) {
      const body = await readFile(join(lake, key));
      const text = key.endsWith('.gz') ? gunzipSync(body).toString('utf8') : body.toString('utf8');
      expect(text.includes(person.userId), key).toBe(false);
      expect(text.toLowerCase().includes(person.userName.toLowerCase()), key).toBe(false);
    }
  });
});

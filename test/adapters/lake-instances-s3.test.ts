import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, expect, it } from 'vitest';
import { lakeInstances, quarantineInstanceFolders } from '../../functions/adapters/lake-instances.ts';

// s3rver never answers CommonPrefixes below a common prefix, nor pages (its token needs DES), so
// the S3 side of instance discovery is proven on S3's documented answers instead.
const s3 = mockClient(S3Client);
afterEach(() => s3.reset());
// The class's prototype is patched for every file that runs after this one in the worker.
afterAll(() => s3.restore());

/** What S3 answers a delimited listing of `prefix`, in pages of at most two folders. */
function folders(byPrefix: Record<string, string[]>): void {
  s3.on(ListObjectsV2Command).callsFake(async ({ Prefix = '', ContinuationToken }) => {
    const children = byPrefix[Prefix] ?? [];
    const start = ContinuationToken === undefined ? 0 : Number(ContinuationToken);
    const page = children.slice(start, start + 2);
    const more = start + 2 < children.length;
    return {
      CommonPrefixes: page.map((child) => ({ Prefix: `${Prefix}${child}/` })),
      IsTruncated: more,
      ...(more ? { NextContinuationToken: String(start + 2) } : {}),
    };
  });
}

it('finds instances by their activity_log/ and coverage/ folders on a lake with no state/ (range pulls only)', async () => {
  folders({
    'lake/activity_log/': ['instance=acme', 'instance=beta', 'instance=gamma'],
    'lake/coverage/': ['instance=acme', 'instance=delta'],
  });
  const found = await lakeInstances({ kind: 's3', bucket: 'b', prefix: 'lake' }, new S3Client({}));
  expect(found).toEqual({
    instances: ['acme', 'beta', 'delta', 'gamma'],
    strayFolders: [],
    failedRunsOnly: [],
  });
  const asked = s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input);
  // Each folder listed one level deep, following its continuation token.
  expect(asked.every((input) => input.Delimiter === '/' && input.Bucket === 'b')).toBe(true);
  expect(asked.map((input) => [input.Prefix, input.ContinuationToken])).toEqual([
    ['lake/activity_log/', undefined],
    ['lake/activity_log/', '2'],
    ['lake/coverage/', undefined],
    ['lake/state/', undefined],
  ]);
});

it('ignores folders that are not instance= ones, and a bucket root lake lists from the top', async () => {
  folders({ 'activity_log/': ['dt=2026-11-20', 'instance=main', 'instance='], 'state/': ['instance=main'] });
  // An empty name is a stray folder (review verify5 #2): DuckDB's `instance=*` reads it.
  expect(await lakeInstances({ kind: 's3', bucket: 'b', prefix: '' }, new S3Client({}))).toEqual({
    instances: ['main'],
    strayFolders: ['activity_log/instance=/'],
    failedRunsOnly: [],
  });
});

it('keeps an instance= folder of a name no instance can have apart from the instances', async () => {
  folders({ 'activity_log/': ['instance=Main', 'instance=main'], 'coverage/': ['instance=My Lake'] });
  expect(await lakeInstances({ kind: 's3', bucket: 'b', prefix: '' }, new S3Client({}))).toEqual({
    instances: ['main'],
    strayFolders: ['activity_log/instance=Main/', 'coverage/instance=My Lake/'],
    failedRunsOnly: [],
  });
});

it('lists the quarantine table once for verify: its stray folders, and those of no instance', async () => {
  folders({
    'lake/quarantine/': [
      'instance=acme',
      'instance=Main',
      'instance=ghost',
      'instance=second',
      'dt=2026-11-20',
    ],
    'lake/digest/': ['instance=acme', 'instance=second'],
  });
  const spec = { kind: 's3', bucket: 'b', prefix: 'lake' } as const;
  expect(await quarantineInstanceFolders(spec, ['acme', 'beta'], new S3Client({}))).toEqual({
    strayFolders: ['quarantine/instance=Main/'],
    withoutTables: ['quarantine/instance=ghost/'],
    // A digest folder says an ingest of it ran (review verify5 #4).
    firstIngests: ['quarantine/instance=second/'],
  });
  const asked = s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input);
  expect(asked.map((input) => [input.Prefix, input.Delimiter, input.ContinuationToken])).toEqual([
    ['lake/quarantine/', '/', undefined],
    ['lake/quarantine/', '/', '2'],
    ['lake/quarantine/', '/', '4'],
    ['lake/digest/', '/', undefined],
  ]);
});

it('lists digest/ only when the quarantine table holds a folder of no instance', async () => {
  folders({ 'lake/quarantine/': ['instance=acme'] });
  const spec = { kind: 's3', bucket: 'b', prefix: 'lake' } as const;
  await quarantineInstanceFolders(spec, ['acme'], new S3Client({}));
  expect(s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input.Prefix)).toEqual([
    'lake/quarantine/',
  ]);
});

it('takes a state/ folder holding only a failed run record for no instance (review R-MULTI M1)', async () => {
  const level: Record<string, { folders?: string[]; files?: string[] }> = {
    'lake/activity_log/': { folders: ['instance=main'] },
    'lake/state/': {
      folders: [
        'instance=main',
        'instance=mian',
        'instance=quiet',
        'instance=new',
        'instance=wrongsecret',
        'instance=stripped',
        'instance=chained',
      ],
    },
    // Its tables, checkpoint and binding gone, its record of a run that wrote events kept (review revid4 M1).
    'lake/state/instance=stripped/': { files: ['last-run.json'] },
    // A failed run's record, beside a digest chain: an ingest of it ran.
    'lake/state/instance=chained/': { files: ['last-run.json'] },
    'lake/digest/': { folders: ['instance=chained', 'instance=main'] },
    'lake/state/instance=mian/': { files: ['last-run.json', 'conditional-write-probe.json'] },
    // The deployed function's runs, all refused so far: an instance of the stack, for status.
    'lake/state/instance=wrongsecret/': { files: ['last-run.json', 'conditional-write-probe.json'] },
    // Bound, but no hour stored yet: an instance.
    'lake/state/instance=quiet/': { files: ['last-run.json', 'domo-customer.json'] },
    'lake/state/instance=new/': { files: ['last-run.json', 'checkpoint.json'] },
  };
  s3.on(ListObjectsV2Command).callsFake(async ({ Prefix = '' }) => ({
    CommonPrefixes: (level[Prefix]?.folders ?? []).map((child) => ({ Prefix: `${Prefix}${child}/` })),
    Contents: (level[Prefix]?.files ?? []).map((file) => ({ Key: `${Prefix}${file}` })),
    IsTruncated: false,
  }));
  const records: Record<string, object> = {
    'lake/state/instance=mian/last-run.json': { outcome: 'failed', events_written: 0 },
    'lake/state/instance=wrongsecret/last-run.json': {
      outcome: 'failed',
      events_written: 0,
      trigger: 'schedule',
    },
    'lake/state/instance=stripped/last-run.json': { outcome: 'ok', events_written: 22 },
    'lake/state/instance=chained/last-run.json': { outcome: 'failed', events_written: 0 },
  };
  s3.on(GetObjectCommand).callsFake(async ({ Key = '' }) => ({
    Body: { transformToString: async () => JSON.stringify(records[Key]) },
  }));
  expect(await lakeInstances({ kind: 's3', bucket: 'b', prefix: 'lake' }, new S3Client({}))).toEqual({
    instances: ['chained', 'main', 'new', 'quiet', 'stripped', 'wrongsecret'],
    strayFolders: [],
    failedRunsOnly: ['mian'],
  });
  // main is known by its events: its state folder is not listed.
  const listed = s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input.Prefix);
  expect(listed).not.toContain('lake/state/instance=main/');
});

import { type ListObjectsV2CommandInput, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exampleKeys,
  inspectLakePrefix,
  isLakeKey,
  PREFIX_SAMPLE_KEYS,
} from '../../functions/cli/lake-prefix.ts';
import { openLakeTarget, parseLakeOption } from '../../functions/cli/lake-target.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';
import {
  activityKey,
  checkpointKey,
  coverageKey,
  digestKey,
  quarantineKey,
} from '../../functions/core/lake/layout.ts';
import type { ListOptions } from '../../functions/core/ports.ts';
import { type LocalS3, startLocalS3 } from '../adapters/s3rver-harness.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';

const HOUR = Date.UTC(2026, 9, 1, 7);

function storeWith(keys: readonly string[]): MemoryObjectStore {
  const store = new MemoryObjectStore();
  for (const key of keys) store.putNow(key, new Uint8Array());
  return store;
}

describe('what an object-store prefix given as a lake holds', () => {
  it('is empty with no object, or only the folder marker the S3 console leaves', async () => {
    expect(await inspectLakePrefix(storeWith([]))).toEqual({ kind: 'empty', found: [] });
    expect(await inspectLakePrefix(storeWith(['']))).toEqual({ kind: 'empty', found: [] });
  });

  it("recognises a lake by a key of any folder an ingest writes, the owner's notes beside it", async () => {
    for (const key of [
      activityKey('main', HOUR),
      coverageKey('main', HOUR),
      quarantineKey('acme', HOUR),
      checkpointKey('main'),
      digestKey('acme', 1),
    ]) {
      // Upper case sorts before the lake's folders in S3's byte order: the notes are listed first.
      const contents = await inspectLakePrefix(storeWith(['NOTES.md', 'README.txt', key]));
      expect(contents, key).toEqual({ kind: 'lake', found: ['NOTES.md', 'README.txt', key] });
    }
  });

  it("is other for another application's objects, however they are named", async () => {
    const app = storeWith(['app/config.json', 'app/data/2026.csv', 'index.html']);
    expect(await inspectLakePrefix(app)).toEqual({
      kind: 'other',
      found: ['app/config.json', 'app/data/2026.csv', 'index.html'],
    });
    // Folders that only share a name with a lake's, as on disk.
    const project = storeWith([
      'coverage/lcov.info',
      'reports/2026-W40.html',
      'state/instance=main',
      'state/session.json',
    ]);
    expect((await inspectLakePrefix(project)).kind).toBe('other');
  });

  it("recognises the deployed stack's report and alert folders as a lake's", async () => {
    for (const key of [
      'reports/instance=main/2026-W40.sent.json',
      'alerts/instance=main/dt=2026-10-01/a.json',
      'alerts-state/instance=main/checkpoint.json',
    ]) {
      expect((await inspectLakePrefix(storeWith([key]))).kind, key).toBe('lake');
    }
  });

  it('takes folder markers alone for empty, unless they fill the sample', async () => {
    // What "Create folder" in the S3 console leaves: empty objects named like folders.
    expect(await inspectLakePrefix(storeWith(['', 'activity_log/', 'state/']))).toEqual({
      kind: 'empty',
      found: [],
    });
    // As many markers as the sample reads: what follows them is unknown.
    const markers = Array.from({ length: PREFIX_SAMPLE_KEYS }, (_, i) => `f${i}/`);
    expect((await inspectLakePrefix(storeWith([...markers, 'f9/data.csv']))).kind).toBe('other');
    expect((await inspectLakePrefix(storeWith(['app/', 'app/config.json']))).kind).toBe('other');
  });

  it('reads a few keys in one small page, not the whole prefix', async () => {
    const store = storeWith([
      ...Array.from({ length: 50 }, (_, i) => `app/${String(i).padStart(3, '0')}.json`),
      checkpointKey('main'),
    ]);
    const asked: (ListOptions | undefined)[] = [];
    let yielded = 0;
    const counting = {
      location: store.location,
      get: store.get.bind(store),
      put: store.put.bind(store),
      async *list(prefix: string, options?: ListOptions): AsyncIterable<string> {
        asked.push(options);
        for await (const key of store.list(prefix)) {
          yielded += 1;
          yield key;
        }
      },
    };
    const contents = await inspectLakePrefix(counting);
    expect(contents.kind).toBe('other');
    expect(contents.found).toHaveLength(PREFIX_SAMPLE_KEYS);
    expect(asked).toEqual([{ pageSize: PREFIX_SAMPLE_KEYS }]);
    expect(yielded).toBe(PREFIX_SAMPLE_KEYS);
  });

  it('tells a lake key by its instance folder', () => {
    expect(isLakeKey('state/instance=main/checkpoint.json')).toBe(true);
    expect(isLakeKey('activity_log/instance=main/')).toBe(true);
    expect(isLakeKey('state/instance=main')).toBe(false);
    expect(isLakeKey('state/main/checkpoint.json')).toBe(false);
    expect(isLakeKey('alerts/instance=main/dt=2026-10-01/x.json')).toBe(true);
    expect(isLakeKey('alerts/main/x.json')).toBe(false);
  });

  it('names one or two keys found, and says when there were more', () => {
    expect(exampleKeys(['a.json'])).toBe('a.json');
    expect(exampleKeys(['a.json', 'b/c.csv'])).toBe('a.json and b/c.csv');
    expect(exampleKeys(['a.json', 'b/c.csv', 'd'])).toBe('a.json, b/c.csv and more');
  });
});

describe('opening an S3 prefix for writing (s3rver)', () => {
  const bucket = 'prefix-guard';
  let s3: LocalS3;
  const lists: ListObjectsV2CommandInput[] = [];
  const writes: string[] = [];
  const put = (key: string) =>
    s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: new Uint8Array() }));

  beforeAll(async () => {
    s3 = await startLocalS3(bucket);
    // Fewer keys than a page: s3rver cannot make a continuation token on Node 20 (DES is gone
    // from OpenSSL 3), so a truncated listing fails there; the next test adds its own keys.
    for (const key of ['app/config.json', 'app/data/2026.csv', 'app/data/2027.csv', 'index.html']) {
      await put(key);
    }
    s3.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ListObjectsV2Command') {
          lists.push(args.input as ListObjectsV2CommandInput);
        } else writes.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
  });
  afterAll(async () => {
    await s3.stop();
  });

  const open = (lake: string) =>
    openLakeTarget(parseLakeOption(lake), undefined, { access: 'write', s3Client: s3.client });

  it("refuses a bucket holding another application's objects before writing, with one small listing", async () => {
    lists.length = 0;
    const refusal = open(`s3://${bucket}`);
    await expect(refusal).rejects.toThrow(UsageError);
    await expect(refusal).rejects.toThrow(
      `--lake s3://${bucket} is not empty and is not a lake (it holds app/config.json, app/data/2026.csv and more): the lake's folders (activity_log/, coverage/, quarantine/, state/, digest/) would be written among those objects. Pass a prefix that holds nothing yet (e.g. --lake s3://${bucket}/domo-lake), or the prefix of an existing lake (the one holding its activity_log/ and state/ folders)`,
    );
    const sampling = lists.filter((input) => input.Delimiter === undefined);
    expect(sampling).toEqual([expect.objectContaining({ Prefix: '', MaxKeys: PREFIX_SAMPLE_KEYS })]);
    expect(writes).toEqual([]);
  });

  it('suggests a new prefix beside the one given, under the same parent', async () => {
    await put('team/exports/2026.csv');
    await put('team/domo-lake/notes.txt');
    await expect(open(`s3://${bucket}/team/exports`)).rejects.toThrow(
      '(e.g. --lake s3://prefix-guard/team/domo-lake)',
    );
    await expect(open(`s3://${bucket}/team/domo-lake`)).rejects.toThrow(
      '(e.g. --lake s3://prefix-guard/team/domo-activity-lake)',
    );
  });

  it('opens a new or empty prefix, and a lake behind its owner objects without the extra listing', async () => {
    await put('fresh/');
    await put('mixed/README.txt');
    for (let i = 0; i < 8; i += 1) await put(`mixed/exports/${i}.csv`);
    await put(`mixed/${checkpointKey('acme')}`);
    lists.length = 0;
    writes.length = 0;
    expect((await open(`s3://${bucket}/new-lake`)).instance).toBe('main');
    expect((await open(`s3://${bucket}/fresh`)).instance).toBe('main');
    expect(lists.filter((input) => input.Delimiter === undefined)).toHaveLength(2);

    lists.length = 0;
    const mixed = await open(`s3://${bucket}/mixed`);
    expect(mixed.instance).toBe('acme');
    expect(lists.filter((input) => input.Delimiter === undefined)).toEqual([]);
    expect(writes).toEqual([]);
  });
});

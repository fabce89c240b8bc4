import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { decodeStoredJson, storedJsonOf } from '../../../functions/core/lake/stored-json.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const schema = z.object({ n: z.number().int(), tag: z.object({ name: z.string() }) });
const bytes = (s: string) => new TextEncoder().encode(s);

describe('decodeStoredJson', () => {
  it('returns the validated value', () => {
    expect(decodeStoredJson(bytes('{"n":1,"tag":{"name":"a"}}'), schema)).toEqual({
      ok: true,
      value: { n: 1, tag: { name: 'a' } },
    });
  });

  it('names the parse error, the first bad field, or invalid UTF-8', () => {
    expect(decodeStoredJson(bytes('{"n":'), schema)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^not valid JSON: /),
    });
    expect(decodeStoredJson(bytes('{"n":1,"tag":{"name":2}}'), schema)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^field tag\.name: /),
    });
    expect(decodeStoredJson(bytes('[]'), schema)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^field \(root\): /),
    });
    expect(decodeStoredJson(new Uint8Array([0x7b, 0xff, 0x7d]), schema)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^not valid JSON: /),
    });
  });
});

describe('storedJsonOf', () => {
  it('gives the value with its ETag, undefined when absent, and throws what the caller words', async () => {
    const store = new MemoryObjectStore();
    const invalid = (reason: string) => new Error(`thing is broken (${reason})`);
    expect(storedJsonOf(await store.get('k'), schema, invalid)).toBeUndefined();
    const { etag } = store.putNow('k', bytes('{"n":3,"tag":{"name":"x"}}'));
    expect(storedJsonOf(await store.get('k'), schema, invalid)).toEqual({
      value: { n: 3, tag: { name: 'x' } },
      etag,
    });
    store.putNow('k', bytes('{"n":"3"}'));
    const broken = await store.get('k');
    expect(() => storedJsonOf(broken, schema, invalid)).toThrow(/^thing is broken \(field n: /);
  });
});

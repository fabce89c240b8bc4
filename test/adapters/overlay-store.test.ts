import { describe, expect, it } from 'vitest';
import { OverlayObjectStore } from '../../functions/adapters/overlay-store.ts';
import { PreconditionFailedError } from '../../functions/core/ports.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (body: Uint8Array | undefined) => new TextDecoder().decode(body);

async function keys(store: OverlayObjectStore, prefix: string): Promise<string[]> {
  const listed: string[] = [];
  for await (const key of store.list(prefix)) listed.push(key);
  return listed;
}

describe('OverlayObjectStore', () => {
  it('reads through to the lake, keeps its own writes in memory and never writes the lake', async () => {
    const lake = new MemoryObjectStore();
    await lake.put('a/1', bytes('lake one'));
    await lake.put('a/3', bytes('lake three'));
    const overlay = new OverlayObjectStore(lake);
    expect(overlay.location).toBe(lake.location);

    const { etag } = await overlay.put('a/1', bytes('overlay one'));
    await overlay.put('a/2', bytes('overlay two'));
    await overlay.put('b/1', bytes('elsewhere'));

    expect(text((await overlay.get('a/1'))?.body)).toBe('overlay one');
    expect((await overlay.get('a/1'))?.etag).toBe(etag);
    expect(text((await overlay.get('a/3'))?.body)).toBe('lake three');
    expect(await keys(overlay, 'a/')).toEqual(['a/1', 'a/2', 'a/3']);
    expect(text((await lake.get('a/1'))?.body)).toBe('lake one');
    expect(await lake.get('a/2')).toBeUndefined();
  });

  it('applies the conditional-write rules to the lake and its own writes alike', async () => {
    const lake = new MemoryObjectStore();
    const { etag: lakeEtag } = await lake.put('state', bytes('v1'));
    const overlay = new OverlayObjectStore(lake);

    await expect(overlay.put('state', bytes('x'), { ifNoneMatch: '*' })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    await expect(overlay.put('state', bytes('x'), { ifMatch: '"stale"' })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    await expect(overlay.put('absent', bytes('x'), { ifMatch: lakeEtag })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    const { etag: v2 } = await overlay.put('state', bytes('v2'), { ifMatch: lakeEtag });
    await expect(overlay.put('state', bytes('v3'), { ifMatch: lakeEtag })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    await overlay.put('state', bytes('v3'), { ifMatch: v2 });
    await overlay.put('new', bytes('created'), { ifNoneMatch: '*' });
    await expect(overlay.put('new', bytes('again'), { ifNoneMatch: '*' })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    expect(text((await overlay.get('state'))?.body)).toBe('v3');
  });

  it('keeps a copy of what it is given, so the caller may reuse its buffer', async () => {
    const overlay = new OverlayObjectStore(new MemoryObjectStore());
    const body = bytes('first');
    await overlay.put('k', body);
    body.set(bytes('XXXXX'));
    expect(text((await overlay.get('k'))?.body)).toBe('first');
  });
});

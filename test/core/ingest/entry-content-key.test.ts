import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../functions/core/domo/canonical-json.ts';
import { entryContentKey } from '../../../functions/core/ingest/entry-content-key.ts';

const entry = (text: string) => ({ value: JSON.parse(text) as unknown, text });

describe('entryContentKey (review R-HOSTFIX M1)', () => {
  it('is the canonical JSON of an ordinary entry, key order aside', () => {
    const a = entry('{"time":1,"objectId":42,"userId":"7"}');
    const b = entry('{"userId":"7","objectId":42,"time":1}');
    expect(entryContentKey(a)).toBe(canonicalJson(a.value));
    expect(entryContentKey(b)).toBe(entryContentKey(a));
  });

  it('tells apart entries that differ only in digits past 2^53, as their ids do', () => {
    const a = entry('{"time":1,"objectId":12345678901234567891}');
    const b = entry('{"time":1,"objectId":12345678901234567892}');
    expect(canonicalJson(a.value)).toBe(canonicalJson(b.value));
    expect(entryContentKey(a)).not.toBe(entryContentKey(b));
    expect(entryContentKey(a)).toBe('{"objectId":12345678901234567891,"time":1}');
  });

  it('gives the same key to a second read of the same row', () => {
    const a = entry('{"time":1,"extra":[12345678901234567891]}');
    expect(entryContentKey({ ...a })).toBe(entryContentKey(a));
  });
});

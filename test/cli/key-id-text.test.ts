import { describe, expect, it } from 'vitest';
import { quotedKeyId, SHOWN_KEY_ID_CHARS } from '../../functions/cli/key-id-text.ts';
import { signingKeyLines } from '../../functions/cli/signing-key-text.ts';

describe('a key id read from the lake, in a line of text', () => {
  it('is quoted, so that a forged one cannot read as the line going on (review R-SECOND L5)', () => {
    const forged =
      'arn:aws:kms:eu-west-1:1:key/x\n  integrity: OK \u001b[32mall digests signed by the stack key\u001b[0m\n';
    const [line = ''] = signingKeyLines({ keyIds: [{ keyId: forged, digests: 1 }] });
    expect(line).toContain('name the key(s) "arn:aws:kms:eu-west-1:1:key/x integrity: OK ');
    expect(line).toContain('stack key[0m " (1 digest(s)): a key id is not covered');
    expect(line.includes('\n') || line.includes('\u001b')).toBe(false);
  });

  it('escapes the quotes and backslashes it holds', () => {
    expect(quotedKeyId('key/a" (9 digest(s)), "key/b')).toBe('"key/a\\" (9 digest(s)), \\"key/b"');
  });

  it('is cut past the longest id shown whole, saying how long it was', () => {
    const arn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(quotedKeyId(arn)).toBe(`"${arn}"`);
    const long = `arn:aws:kms:eu-west-1:123456789012:alias/${'a'.repeat(5000)}`;
    const shown = quotedKeyId(long);
    expect(shown).toBe(`"${long.slice(0, SHOWN_KEY_ID_CHARS)}…" (cut, of ${long.length} characters)`);
  });
});

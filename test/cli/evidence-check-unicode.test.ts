/**
 * A bundle by name (a lockout or burst of no user id) is kept by the alerts' folding of names
 * (detection.ts, nameKey), on Node's Unicode; check.py folds them on its Python's, which may be
 * older: of Unicode 17.0 against Python 3.11's 14.0, 154 code points fold otherwise, every one of
 * them unknown to the older. check.py then names them in a NOTE, so that a line FAILED as not under
 * the name, or one not found left out, is not taken for a cheat (nor a pass for proof).
 */
import { expect, it } from 'vitest';
import { nameKey } from '../../functions/core/alerts/detection.ts';
import { checkScriptAnswer } from '../support/check-script-functions.ts';

// Letters of Unicode 16 and 17 (Cyrillic TJE, Latin additions, Garay, Ol Onal), and older letters
// that fold in every version (ß, İ, the ffi ligature, the Roman numeral eight, Georgian an).
const NEW = ['\u1c89', '\ua7cb', '\ua7cc', '\ua7d2', '\ua7dc', '\u{10d50}', '\u{1e5d0}'];
const OLD = ['ß', 'İ', 'ﬃ', 'Ⅷ', 'ა', 'Ann'];

it('names each character of a name check.py folds otherwise than the product', () => {
  const names = [...NEW, ...OLD].map((c) => `ann ${c}`);
  const script = checkScriptAnswer<[string, string | null][]>(
    "[(check.UNKNOWN.clear(), check.name_key(n), check.unicode_note({'unicode': '17.0'}))[1:] for n in given]",
    names,
  );
  const differ = names.filter((name, i) => script[i]?.[0] !== nameKey(name));
  for (const name of differ) {
    const note = script[names.indexOf(name)]?.[1] ?? '';
    const code = `U+${(name.codePointAt(4) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    expect(note, name).toContain(`does not know (${code})`);
    expect(note).toContain('folded them by Unicode 17.0');
  }
  // On a Python of an older Unicode than Node's (3.11's 14.0 against 17.0 here), some do differ.
  const python = checkScriptAnswer<string>('check.unicodedata.unidata_version', null);
  const older = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true }) < 0;
  if (older(python, process.versions.unicode ?? '0')) expect(differ.length).toBeGreaterThan(0);
  // Names of letters every Unicode folds alike give no note.
  expect(script.slice(NEW.length).map(([, note]) => note)).toEqual(OLD.map(() => null));
});

it("says so in check.py's output, naming the maker's Unicode as manifest.json states it", () => {
  const [with17, before] = checkScriptAnswer<(string | null)[]>(
    "[check.unicode_note({'unicode': '17.0'}) if check.UNKNOWN.add('\\U0001e5d0') is None else None, check.unicode_note({})]",
    null,
  );
  expect(with17).toMatch(
    /^the names compared hold 1 character\(s\) this Python's Unicode \([0-9.]+\) does not know \(U\+1E5D0\)/,
  );
  expect(before).toContain('folded them by Unicode (not stated: a bundle made before it was)');
});

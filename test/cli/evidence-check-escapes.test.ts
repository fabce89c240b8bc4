/**
 * A quarantined entry holding the case's id, name or address only through JSON escapes
 * (`"\u0034\u0032"` for 42): the bundle keeps it (core/evidence/evidence-hours.ts, searchedTexts),
 * and check.py must select it by the same rule, or a sender who left it out (and lowered the hour's
 * count) passed `check.py --lake`. Each case is run through the product and the script alike.
 */
import { expect, it } from 'vitest';
import {
  addressTexts,
  jsonUnescaped,
  quarantinedNamesUser,
  quarantinedOfAddress,
  quarantinedOfName,
} from '../../functions/core/evidence/evidence-hours.ts';
import { checkScriptAnswer } from '../support/check-script-functions.ts';
import { seeded } from '../support/seeded-random.ts';

/** Each character of `text` as a `\uXXXX` escape. */
const escaped = (text: string): string =>
  [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

const USERS: [raw: string, user: string, kept: boolean][] = [
  [`{"userId":"${escaped('42')}"}`, '42', true],
  [`{"userId":"4\\u0032","t":1}`, '42', true],
  // Cut short, so no JSON: its escapes are read all the same.
  [`{"userId":"\\u0034\\u0032","msg":"trunc`, '42', true],
  [`{"note":"id \\"42\\""}`, '"42"', true],
  [`{"path":"a\\/42\\/b"}`, '/42/', true],
  [`{"emoji":"\\ud83d\\ude00 7"}`, '😀 7', true],
  // An escaped backslash before `u0034`: the text `\u0034`, not 4.
  [`{"userId":"\\\\u0034\\\\u0032"}`, '42', false],
  [`{"userId":"\\u0034\\u0033"}`, '42', false],
  [`{"userId":"\\uZZZZ42"}`, '42', true],
  ['{"userId":"7"}', '42', false],
];

it('keeps an entry holding the user id only through JSON escapes, in the product and check.py alike', () => {
  const script = checkScriptAnswer<boolean[]>(
    "[check.of_case({'user_id': c[1]}, 'quarantine')({'raw': c[0]}) for c in given]",
    USERS,
  );
  const product = USERS.map(([raw, user]) => quarantinedNamesUser({ raw }, user));
  const wanted = USERS.map((c) => c[2]);
  expect({ product, script }).toEqual({ product: wanted, script: wanted });
});

it('undoes the escapes to the same text in the product and check.py', () => {
  const texts = [...USERS.map((c) => c[0]), '\\b\\f\\n\\r\\t\\"\\\\\\/', '\\ud83d alone', 'none'];
  const script = checkScriptAnswer<string[]>('[check.json_unescaped(t) for t in given]', texts);
  expect(script).toEqual(texts.map(jsonUnescaped));
});

it('keeps an entry holding a name or an address only through JSON escapes, in the product and check.py alike', () => {
  const cases = [
    { raw: `{"userName":"${escaped('José Ruiz')}"}`, name: 'josé ruiz', kept: true },
    { raw: `{"userName":"${escaped('Ann')}"}`, name: 'Bob', kept: false },
    { raw: `{"ip":"${escaped('5.6.7.9')}"}`, source: { scope: 'network', group: '5.6.7.0/24' }, kept: true },
    { raw: `{"ip":"5\\u002e6.7.9"}`, source: { scope: 'address', group: '5.6.7.9' }, kept: true },
    { raw: `{"ip":"${escaped('5.6.8.9')}"}`, source: { scope: 'network', group: '5.6.7.0/24' }, kept: false },
  ] as const;
  const script = checkScriptAnswer<boolean[]>(
    "[check.quarantined_of_name({'raw': c['raw']}, c['name']) if 'name' in c else check.quarantined_of_address({'raw': c['raw']}, c['source']) for c in given]",
    cases,
  );
  const product = cases.map((c) =>
    'name' in c ? quarantinedOfName({ raw: c.raw }, c.name) : quarantinedOfAddress({ raw: c.raw }, c.source),
  );
  const wanted = cases.map((c) => c.kept);
  expect({ product, script }).toEqual({ product: wanted, script: wanted });
});

// Texts drawn from the characters both rules turn on (hex digits, colons, dots, brackets,
// backslashes, escapes' letters, quotes, a letter past f, a surrogate pair): the address texts and
// the unescaped text must be the same in the product and check.py, character for character.
it('reads random texts into the same addresses and the same unescaped text in the product and check.py', () => {
  const random = seeded(89);
  const pieces = [
    '1',
    '5.',
    '9',
    'a',
    'F',
    ':',
    '::',
    '.',
    '[',
    ']',
    '\\',
    'u',
    '00',
    '3',
    'n',
    '"',
    'x',
    ' ',
    ',',
    '\\u0035',
    '\\ud83d\\ude00',
    '😀',
  ];
  const texts = Array.from({ length: 400 }, () =>
    Array.from(
      { length: 1 + Math.floor(random() * 24) },
      () => pieces[Math.floor(random() * pieces.length)],
    ).join(''),
  );
  const script = checkScriptAnswer<[string[], string][]>(
    '[(check.address_texts(t), check.json_unescaped(t)) for t in given]',
    texts,
  );
  expect(script).toEqual(texts.map((text) => [addressTexts(text), jsonUnescaped(text)]));
});

import { describe, expect, it } from 'vitest';
import { entryWeightOfText } from '../../../functions/core/domo/entry-weight.ts';
import { JsonArraySplitError, splitJsonArray } from '../../../functions/core/domo/split-json-array.ts';

const split = (text: string) => splitJsonArray(Buffer.from(text, 'utf8'));

describe('splitJsonArray', () => {
  it('returns each element as written, without the whitespace around it', () => {
    expect(split(' [ {"a":1} ,\n\t2 , "x" ,null,true,[3, 4] ]\r\n')).toEqual([
      '{"a":1}',
      '2',
      '"x"',
      'null',
      'true',
      '[3, 4]',
    ]);
    expect(split('[]')).toEqual([]);
    expect(split(' [ \n ] ')).toEqual([]);
  });

  it('keeps big integers, duplicate keys and key order that JSON.parse would lose', () => {
    const entry = '{"z":12345678901234567890,"a":1,"a":2, "n" : 1.50e+3}';
    const [text] = split(`[${entry}]`);
    expect(text).toBe(entry);
    expect(JSON.stringify(JSON.parse(entry))).not.toBe(entry);
  });

  it('is not fooled by brackets, commas, quotes and escapes inside strings', () => {
    const entries = [
      String.raw`{"t":"a,b]}[{","q":"say \"hi\", ok","bs":"ends with \\","u":"\u00e9\u2028\ud83d\ude00"}`,
      String.raw`"\\\""`,
      '{"emoji":"😀 é","nested":{"list":[[1,[2,{"k":"]"}]],{}]}}',
    ];
    const body = `[${entries.join(', ')}]`;
    const texts = split(body);
    expect(texts).toEqual(entries);
    expect(texts.map((t) => JSON.parse(t))).toEqual(JSON.parse(body));
  });

  it('weighs each element by its bytes, or by its brackets and commas when those cost more parsed', () => {
    const nested = `{"time":1,"x":[${Array.from({ length: 100 }, () => '[]').join(',')}]}`;
    const entries = [String.raw`{"s":"a,b[{","t":"\\"}`, '"é"', nested, '7'];
    const sizes = { bytes: [] as number[], weights: [] as number[] };
    expect(splitJsonArray(Buffer.from(`[ ${entries.join(' , ')} ]`, 'utf8'), sizes)).toEqual(entries);
    // One object and one comma (those inside strings are not counted); "é" is 4 bytes; 102
    // containers and 100 commas; a number weighs its bytes.
    expect(sizes.weights).toEqual([64 + 24, 4, 102 * 64 + 100 * 24, 1]);
    expect(sizes.weights).toEqual(entries.map(entryWeightOfText));
    expect(sizes.bytes).toEqual(entries.map((text) => Buffer.byteLength(text)));
  });

  it('handles nesting far deeper than a recursive parser could', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(split(`[1,${deep},{"a":${deep}}]`)).toEqual(['1', deep, `{"a":${deep}}`]);
  });

  it('trims carriage returns and tabs around elements like spaces', () => {
    expect(split('[\r\n\t1\r\n,\r\n\t"x"\t\r\n]')).toEqual(['1', '"x"']);
  });

  it('says where a string that never closes was opened', () => {
    expect(() => split('[1, "open]')).toThrow('string opened at 4 is not closed');
  });

  it('turns down text that is not one well-formed top-level array', () => {
    for (const bad of [
      '{"a":1}',
      '',
      '[1,2',
      '[1,]',
      '[,1]',
      '[1,,2]',
      '[1}',
      '["open]',
      '[1] x',
      '[{"a":1]',
    ]) {
      expect(() => split(bad), bad).toThrow(JsonArraySplitError);
    }
  });

  it('decodes each element from UTF-8 as the whole text would be, from a Buffer or any Uint8Array', () => {
    const body = Buffer.concat([
      Buffer.from('[{"name":"Ünïcødé 😀"},"bad byte \xff', 'utf8'),
      Buffer.from([0xff, 0xc3]),
      Buffer.from('",\u00a02]', 'utf8'),
    ]);
    const whole = body.toString('utf8');
    const texts = splitJsonArray(new Uint8Array(body));
    expect(texts).toEqual([
      '{"name":"Ünïcødé 😀"}',
      whole.slice(whole.indexOf('"bad'), whole.lastIndexOf(',')),
      '\u00a02',
    ]);
    // Only JSON's own whitespace is trimmed: a no-break space stays, and JSON.parse then refuses it.
    expect(() => JSON.parse(texts[2] as string)).toThrow(SyntaxError);
  });

  it('gives the elements JSON.parse finds, for arrays written with any spacing', () => {
    const values = [1, -2.5e-7, 'x', '', null, true, false, { a: [1, { b: 'c,]' }] }, [], {}, ['\\"']];
    for (let seed = 1; seed <= 50; seed++) {
      let state = seed;
      const random = () => {
        state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
        return state / 2_147_483_648;
      };
      const space = () => [' ', '\n', '\t', '\r', ''][Math.floor(random() * 5)] as string;
      const picked = values.filter(() => random() < 0.6);
      const body = `${space()}[${space()}${picked.map((v) => `${JSON.stringify(v, null, random() < 0.5 ? 1 : 0)}${space()}`).join(`,${space()}`)}]${space()}`;
      const texts = split(body);
      expect(
        texts.map((text) => JSON.parse(text)),
        body,
      ).toEqual(JSON.parse(body));
    }
  });
});

describe('splitJsonArray at the edges of its string and element scans', () => {
  const failure = (text: string): string => {
    try {
      split(text);
    } catch (error) {
      if (error instanceof JsonArraySplitError) return error.message;
      throw error;
    }
    return 'no error';
  };

  it('ends a string at a quote after an even run of backslashes, and not after an odd one', () => {
    for (let run = 0; run <= 7; run++) {
      // After an odd run the first quote is escaped, and the next one closes the string.
      const text = `"${'\\'.repeat(run)}"${run % 2 === 0 ? '' : '"'}`;
      const body = `[${text},1]`;
      expect(split(body), body).toEqual([text, '1']);
      expect(JSON.parse(body), body).toEqual([JSON.parse(text), 1]);
    }
    // A run cannot reach back past the opening quote, even right after an escaped quote.
    expect(split(String.raw`["","\"","\\","\\\"",""]`)).toEqual([
      '""',
      String.raw`"\""`,
      String.raw`"\\"`,
      String.raw`"\\\""`,
      '""',
    ]);
  });

  it('says a string is not closed when its last quote, at the very end, is escaped or missing', () => {
    expect(failure('["abc\\"')).toBe('string opened at 1 is not closed');
    expect(failure('["abc\\\\\\"')).toBe('string opened at 1 is not closed');
    expect(failure('[1,"abc\\')).toBe('string opened at 3 is not closed');
    expect(failure('["a",  "')).toBe('string opened at 7 is not closed');
    // Closed by the last byte: then it is the array that is not closed.
    expect(failure('["abc\\\\"')).toBe('the top-level array is not closed');
    expect(failure('["abc"')).toBe('the top-level array is not closed');
  });

  it('trims the whitespace around each element, after strings and escapes too', () => {
    expect(split('[ "a\\\\" \t, "b\\"" \r\n,\n{"c":"\\\\"} \n]')).toEqual([
      '"a\\\\"',
      '"b\\""',
      '{"c":"\\\\"}',
    ]);
    const sizes = { bytes: [] as number[], weights: [] as number[] };
    splitJsonArray(Buffer.from('[ "a"  ,\t[1, 2 ]\n ]'), sizes);
    expect(sizes.bytes).toEqual([3, 7]);
    // A control character is no whitespace: it starts an element (JSON.parse refuses it later).
    expect(split('[1,\u0001,\u0001 ,\t\u0001x]')).toEqual(['1', '\u0001', '\u0001', '\u0001x']);
  });

  it('says where each broken array goes wrong, whitespace around the fault or not', () => {
    const cases: [string, string][] = [
      ['  {"a":1}', 'the text does not start with ['],
      ['', 'the text does not start with ['],
      ['[', 'the top-level array is not closed'],
      ['[ \n', 'the top-level array is not closed'],
      ['[1, ', 'the top-level array is not closed'],
      ['[[1,2]', 'the top-level array is not closed'],
      ['[ ,1]', 'empty element before 2'],
      ['[1, ,2]', 'empty element before 4'],
      ['[1,2 , ]', 'trailing comma before 7'],
      ['[ }', 'unbalanced } at 2'],
      ['[1, }', 'unbalanced } at 4'],
      ['[1 }', 'unbalanced } at 3'],
      ['[{"a":1}}', 'unbalanced } at 8'],
      ['[ ] x', 'text after the top-level array at 3'],
      ['[1]]', 'text after the top-level array at 3'],
      ['[1 ] ,', 'text after the top-level array at 4'],
    ];
    expect(cases.map(([text]) => failure(text))).toEqual(cases.map(([, message]) => message));
  });

  it('skips a long string, and a long run of escaped quotes, whole', () => {
    const long = `"${'x'.repeat(1_000_000)}"`;
    const quotes = `"${'\\"'.repeat(100_000)}"`;
    expect(split(`[${long},${quotes}]`)).toEqual([long, quotes]);
    expect(failure(`[${quotes.slice(0, -1)}]`)).toBe('string opened at 1 is not closed');
  });
});

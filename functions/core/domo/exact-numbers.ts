import { closingQuote, QUOTE, skipJsonWhitespace } from './json-text.ts';

/**
 * A number whose literal `JSON.parse` could not hold (digits past 2^53, a value past the range
 * of a double): canonical JSON writes it as the text Domo sent, where the parsed value would have
 * written the number the literal was rounded to.
 */
export class ExactNumber {
  constructor(readonly text: string) {}
}

/**
 * Whether `value` holds a number that is not a safe integer, or any array or object (whose
 * members are left to the text search): a whole number of 2^53 or more, a fraction, or an
 * infinity, which is what a literal JSON.parse lost digits of parses to. A flat entry of safe
 * integers (every entry Domo serves: epoch-ms times, numeric ids) stops here, in ~0.1 µs. Not
 * caught: a literal written with a fraction or an exponent that rounds to a safe integer
 * (`1.00000000000000001`, `1e-400`): no id Domo sends is written so.
 */
function mayHoldLossyNumber(value: unknown): boolean {
  if (value === null || typeof value !== 'object')
    return typeof value === 'number' && !Number.isSafeInteger(value);
  const object = value as Record<string, unknown>;
  for (const key in object) {
    const member = object[key];
    if (
      typeof member === 'number'
        ? !Number.isSafeInteger(member)
        : member !== null && typeof member === 'object'
    )
      return true;
  }
  return false;
}

/**
 * `value` (the entry `text` parsed), or the entry read again with each number `JSON.parse` lost
 * precision on as an {@link ExactNumber}, when it holds one: two entries equal but for digits past
 * 2^53 (`12345678901234567891`, `…892`) parse to the same value, so their canonical JSON, and
 * the event id built on it, was one; on a re-pull the lake stored one of them twice and lost the
 * other (review R-HOSTILE2 M2). Only such entries read differently, so every other entry's id
 * stays as it was. `undefined` from the reader (nested deeper than `maxDepth`, or text it does not
 * take) keeps `value`: the canonical writer refuses one too deep anyway.
 */
export function exactValue(value: unknown, text: string, maxDepth: number): unknown {
  if (!mayHoldLossyNumber(value) || !holdsLossyLiteral(text)) return value;
  const reader: Reader = { text, at: 0, lossy: false, maxDepth };
  const read = readValue(reader, 0);
  return read !== FAILED && reader.lossy ? read : value;
}

/**
 * Whether the JSON text `text` holds a lossy number literal: each literal outside the strings that
 * {@link mayLose} lets through is judged. Asked only of an entry that {@link mayHoldLossyNumber}
 * lets through. A numeric id of 16 digits or more sent as a string, or an ellipsis of dots, is
 * skipped with its string, and a literal JSON.parse keeps (a 16-digit id under 2^53) is judged
 * exact: a search of the whole text found either, and had an entry with any nested member read a
 * second time for nothing, 6.5 µs where a flat entry costs 0.08 (review R-HOSTFIX L3; now ~1.7 µs
 * on a loaded machine where the read again cost 8.4). One pass: each string is skipped whole
 * (`closingQuote`, native searches), each literal read once.
 */
export function holdsLossyLiteral(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) return false;
    } else if (c === MINUS || isDigit(c)) {
      const end = literalEnd(text, i);
      if (mayLose(text, i, end) && lossyAt(text, i, end)) return true;
      i = end - 1;
    }
  }
  return false;
}

const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;

const isNumberChar = (c: number): boolean =>
  isDigit(c) || c === DOT || c === LOWER_E || c === UPPER_E || c === MINUS || c === PLUS;

/** The end of the literal that starts at `start`: past its last `[-+0-9.eE]`. */
function literalEnd(text: string, start: number): number {
  let end = start + 1;
  while (end < text.length && isNumberChar(text.charCodeAt(end))) end++;
  return end;
}

const lossyAt = (text: string, start: number, end: number): boolean => {
  const literal = text.slice(start, end);
  return lossy(literal, Number(literal));
};

/**
 * Whether the literal `text[start, end)` may be lossy, read in place: 16 digits or more in its
 * mantissa (digits and a dot), or an exponent of three digits or more (so never one shorter than
 * `1e400`). A literal with at most 15 significant digits and a two-digit exponent reads back as
 * itself (`String(Number(literal))` has its value).
 */
function mayLose(text: string, start: number, end: number): boolean {
  if (end - start < 5) return false;
  let e = start;
  while (e < end && (text.charCodeAt(e) | 0x20) !== LOWER_E) e++;
  const mantissa = e - (text.charCodeAt(start) === MINUS ? start + 1 : start);
  if (mantissa >= 16) return true;
  const sign = text.charCodeAt(e + 1);
  return end - e - (sign === MINUS || sign === PLUS ? 2 : 1) >= 3;
}

interface Reader {
  text: string;
  at: number;
  /** Whether a number read so far was lossy. */
  lossy: boolean;
  maxDepth: number;
}

const FAILED = Symbol('failed');
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** The value at the reader's position (recursion bounded by `maxDepth`); FAILED when it cannot. */
function readValue(reader: Reader, depth: number): unknown {
  const { text } = reader;
  reader.at = skipJsonWhitespace(text, reader.at);
  const c = text[reader.at];
  if (c === '{' || c === '[') {
    if (depth >= reader.maxDepth) return FAILED;
    return c === '{' ? readObject(reader, depth + 1) : readArray(reader, depth + 1);
  }
  if (c === '"') return readString(reader);
  for (const [word, literal] of LITERALS) {
    if (text.startsWith(word, reader.at)) {
      reader.at += word.length;
      return literal;
    }
  }
  return readNumber(reader);
}

const LITERALS: readonly [string, unknown][] = [
  ['true', true],
  ['false', false],
  ['null', null],
];

function readString(reader: Reader): unknown {
  const close = closingQuote(reader.text, reader.at);
  if (close < 0) return FAILED;
  const string: unknown = JSON.parse(reader.text.slice(reader.at, close + 1));
  reader.at = close + 1;
  return string;
}

function readNumber(reader: Reader): unknown {
  NUMBER.lastIndex = reader.at;
  const match = NUMBER.exec(reader.text);
  if (!match) return FAILED;
  const literal = match[0];
  reader.at += literal.length;
  const number = Number(literal);
  if (!lossy(literal, number)) return number;
  reader.lossy = true;
  return new ExactNumber(normalisedNumber(literal));
}

/** `[` … `]`, the reader past its `[`. */
function readArray(reader: Reader, depth: number): unknown {
  const array: unknown[] = [];
  reader.at = skipJsonWhitespace(reader.text, reader.at + 1);
  if (reader.text[reader.at] === ']') {
    reader.at++;
    return array;
  }
  for (;;) {
    const element = readValue(reader, depth);
    if (element === FAILED) return FAILED;
    array.push(element);
    const next = afterMember(reader, ']');
    if (next !== 'more') return next === 'end' ? array : FAILED;
  }
}

/**
 * `{` … `}`, the reader past its `{`. Without a prototype, so a `__proto__` member is a member, as
 * `JSON.parse` makes it; a repeated key keeps its last value, as there.
 */
function readObject(reader: Reader, depth: number): unknown {
  const object: Record<string, unknown> = Object.create(null);
  reader.at = skipJsonWhitespace(reader.text, reader.at + 1);
  if (reader.text[reader.at] === '}') {
    reader.at++;
    return object;
  }
  for (;;) {
    reader.at = skipJsonWhitespace(reader.text, reader.at);
    const key = readString(reader);
    reader.at = skipJsonWhitespace(reader.text, reader.at);
    if (typeof key !== 'string' || reader.text[reader.at] !== ':') return FAILED;
    reader.at++;
    const member = readValue(reader, depth);
    if (member === FAILED) return FAILED;
    object[key] = member;
    const next = afterMember(reader, '}');
    if (next !== 'more') return next === 'end' ? object : FAILED;
  }
}

/** Past the `,` or the closing bracket after a member: which it was. */
function afterMember(reader: Reader, closing: string): 'more' | 'end' | 'broken' {
  reader.at = skipJsonWhitespace(reader.text, reader.at);
  const c = reader.text[reader.at++];
  if (c === ',') return 'more';
  return c === closing ? 'end' : 'broken';
}

/**
 * Whether `number`, the literal read by `Number`, has another value than the literal: compared as
 * decimals (sign, significant digits, exponent), the literal against `String(number)`, the
 * shortest text that reads back as the number. `1.0`, `1.5e3` and `-0` are exact (the canonical
 * writer writes `-0` as `0`, as it always has); `9007199254740993`, `1e400` and `1e-400` are not.
 * Every step is linear in the literal's length, so a long one is compared as a short one is: a
 * `0.5` padded with 2,000 zeros is exact and keeps `0.5`'s id (a first cut at 1,100 characters
 * gave it another: review R-HOSTFIX2 L1). Not judged by loss alone: a
 * literal that is not the shortest text of its double (Java's `4.9E-324`) is lossy too, because
 * another literal of another value (`5e-324`) reads as the same double.
 */
export function lossy(literal: string, number: number): boolean {
  if (!Number.isFinite(number)) return true;
  return !sameDecimal(decimal(literal), decimal(String(number)));
}

/**
 * A lossy literal in one form, whichever way it was written (review R-HOSTFIX L2): the sign, the
 * significant digits, then the zeros of a whole number up to 21 of them (a whole number is written
 * as Domo sends ids, `12345678901234567890`), else `e` and the exponent (`1e400`, `15e-401`).
 * `1.2345678901234567891E19`, `12345678901234567891.0` and `12345678901234567891` are one number
 * and so one id. Linear in the literal's length.
 */
export function normalisedNumber(literal: string): string {
  const { negative, digits, exponent } = decimal(literal);
  if (digits === '') return '0';
  // An exponent past 2^53 (`1e-99999999999999999999999`), written or after the shift, has no exact
  // count: kept as written. No form below is written so (its exponent is safe, or it has no `e`).
  if (!Number.isSafeInteger(exponent)) return literal;
  const sign = negative ? '-' : '';
  if (exponent >= 0 && exponent <= 21) return `${sign}${digits}${'0'.repeat(exponent)}`;
  return `${sign}${digits}e${exponent}`;
}

interface Decimal {
  negative: boolean;
  /** Without leading or trailing zeros; empty for zero. */
  digits: string;
  /** NaN when the written exponent is past 2^53: not known exactly. */
  exponent: number;
}

const sameDecimal = (a: Decimal, b: Decimal): boolean =>
  a.digits === ''
    ? b.digits === ''
    : a.negative === b.negative && a.digits === b.digits && a.exponent === b.exponent;

/**
 * A number's text (JSON's grammar, or `String(number)`) as sign, digits and exponent. The zeros are
 * trimmed by loops over char codes, not regexes: `/0+$/` backtracks over a run of zeros at each of
 * its starts, and a 200,000-zero literal held the event loop 31 s (review R-HOSTFIX H1).
 */
function decimal(text: string): Decimal {
  const negative = text.charCodeAt(0) === MINUS;
  const begin = negative ? 1 : 0;
  let e = text.length;
  for (let i = begin; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LOWER_E || c === UPPER_E) {
      e = i;
      break;
    }
  }
  const written = e < text.length ? Number(text.slice(e + 1)) : 0;
  const dot = text.indexOf('.', begin);
  const point = dot >= 0 && dot < e ? dot : e;
  const mantissa = point < e ? text.slice(begin, point) + text.slice(point + 1, e) : text.slice(begin, e);
  let first = 0;
  while (first < mantissa.length && mantissa.charCodeAt(first) === ZERO) first++;
  let last = mantissa.length;
  while (last > first && mantissa.charCodeAt(last - 1) === ZERO) last--;
  // The shift (trailing zeros less fraction digits) is below a string's length, so exact; added to
  // the written exponent in one step, whose rounding past 2^53 can then only give an unsafe sum.
  const shift = mantissa.length - last - (e - point - (point < e ? 1 : 0));
  // A written exponent past 2^53 is not known exactly (`Number` rounded it), nor is any sum built
  // on it, which the shift could bring back under 2^53: `0.1e9007199254740993` read as
  // `1e9007199254740991`, another value's form and id (review R-LAST L3). NaN, no exponent's equal.
  const exponent = Number.isSafeInteger(written) ? written + shift : Number.NaN;
  return { negative, digits: mantissa.slice(first, last), exponent };
}

const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const DOT = 0x2e;
const PLUS = 0x2b;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

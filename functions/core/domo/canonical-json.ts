import { hash as oneShotHash } from 'node:crypto';
import { ExactNumber } from './exact-numbers.ts';

/** How deep and how long a canonical text may grow before {@link canonicalJson} gives up. */
export interface CanonicalLimits {
  /** Most arrays and objects open at once; the entry itself counts as 1. */
  maxDepth: number;
  /** Most characters of canonical text. */
  maxLength: number;
}

/**
 * Bounds for one Activity Log entry. A real entry is a flat object of ~450 characters; these leave
 * a margin of 30 levels and ~2,000× the size while keeping a hostile entry out of the lake's
 * records (it is quarantined with the reason instead).
 */
export const ENTRY_LIMITS: CanonicalLimits = { maxDepth: 32, maxLength: 1024 * 1024 };

const UNBOUNDED: CanonicalLimits = {
  maxDepth: Number.POSITIVE_INFINITY,
  maxLength: Number.POSITIVE_INFINITY,
};

/** A value too deep or too large for the limits asked; `reason` is one line for a quarantine record. */
export class CanonicalJsonError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CanonicalJsonError';
  }
}

interface Frame {
  array?: unknown[];
  object?: Record<string, unknown>;
  /** The object's keys, sorted; empty for an array. */
  keys: string[];
  /** The next element or key to write. */
  next: number;
  /** Whether a member was written (a comma goes before the next one). */
  written: boolean;
}

interface Writer {
  out: string;
  stack: Frame[];
  limits: CanonicalLimits;
}

const DONE = Symbol('done');

/**
 * JSON text with object keys sorted at every level and no whitespace, so that two entries with the
 * same content hash the same whatever order Domo serialised their keys in. Iterative, so any depth
 * is safe; with `limits` it throws {@link CanonicalJsonError} once the value is deeper or its text
 * longer than allowed. Without limits it never throws for values from `JSON.parse`.
 */
export function canonicalJson(value: unknown, limits: CanonicalLimits = UNBOUNDED): string {
  const flat = flatObjectJson(value, limits);
  if (flat !== undefined) return flat;
  const writer: Writer = { out: '', stack: [], limits };
  write(writer, value);
  while (writer.stack.length > 0) {
    const frame = writer.stack[writer.stack.length - 1] as Frame;
    const child = nextChild(writer, frame);
    if (child === DONE) {
      writer.stack.pop();
      writer.out += frame.array ? ']' : '}';
    } else {
      write(writer, child);
    }
  }
  checkLength(writer);
  return writer.out;
}

/**
 * sha256 (hex) of {@link canonicalJson}'s text as UTF-8, the id's content hash: the same bytes
 * hashed. An object of scalars (every entry Domo serves) is written as UTF-8 straight into one
 * buffer kept for the next entry and hashed from there: made as a string, piece by piece, it cost
 * ~1.7 KB of garbage per entry (a string and a joint per piece, then the flat copy the hash makes),
 * about a fifth of what the ingest allocated, and its collections are most of what the CLI adds
 * to its stages (docs/performance.md).
 */
export function canonicalJsonSha256(value: unknown, limits: CanonicalLimits = UNBOUNDED): string {
  const flat = flatObjectBytes(value, limits);
  // One-shot: about twice as fast as createHash() for an entry's few hundred bytes.
  return oneShotHash('sha256', flat ?? canonicalJson(value, limits), 'hex');
}

/** The bytes {@link flatObjectBytes} writes into; replaced when an entry needs more, then kept small. */
interface Bytes {
  buffer: Buffer;
  end: number;
  /** Characters of the text so far (the limits count characters, not bytes). */
  chars: number;
}

const KEPT_BYTES = 16 * 1024;
const scratch: Bytes = { buffer: Buffer.allocUnsafe(KEPT_BYTES), end: 0, chars: 0 };

/**
 * The UTF-8 of {@link flatObjectJson}'s text, or undefined where it is undefined; valid until the
 * next call. A string member of printable ASCII but `"` and `\` (most of them) is copied a code
 * unit at a time; any other member is written as {@link scalarJson} writes it, which leaves no lone
 * surrogate: its UTF-8 is what the hash of the text would encode.
 */
function flatObjectBytes(value: unknown, limits: CanonicalLimits): Buffer | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || limits.maxDepth < 1) {
    return undefined;
  }
  const object = value as Record<string, unknown>;
  const { sorted, nameBytes, laterNameBytes } = shapeOf(Object.keys(object));
  const out = scratch;
  if (out.buffer.length > KEPT_BYTES) out.buffer = Buffer.allocUnsafe(KEPT_BYTES);
  out.buffer[0] = OPEN_BRACE;
  out.end = 1;
  out.chars = 1;
  let written = false;
  for (let i = 0; i < sorted.length; i++) {
    const member = object[sorted[i] as string];
    if (member === undefined) continue;
    if (member !== null && typeof member === 'object') return undefined;
    writeName(out, (written ? laterNameBytes[i] : nameBytes[i]) as NameBytes);
    writeScalar(out, member);
    written = true;
  }
  reserve(out, 1);
  out.buffer[out.end++] = CLOSE_BRACE;
  out.chars += 1;
  if (out.chars > limits.maxLength) {
    throw new CanonicalJsonError(`longer than ${limits.maxLength} characters as canonical JSON`);
  }
  return out.buffer.subarray(0, out.end);
}

/** Room for `most` more bytes, the bytes so far kept. */
function reserve(out: Bytes, most: number): void {
  if (out.end + most <= out.buffer.length) return;
  const grown = Buffer.allocUnsafe(Math.max(out.buffer.length * 2, out.end + most));
  out.buffer.copy(grown, 0, 0, out.end);
  out.buffer = grown;
}

/** A member name as written (`"key":`, or `,"key":`): its UTF-8 and its length in characters. */
interface NameBytes {
  bytes: Buffer;
  chars: number;
}

function writeName(out: Bytes, name: NameBytes): void {
  const { bytes } = name;
  reserve(out, bytes.length);
  const { buffer } = out;
  let { end } = out;
  // A loop: `copy` is a native call, which costs more than the dozen bytes of a name.
  for (let i = 0; i < bytes.length; i++) buffer[end++] = bytes[i] as number;
  out.end = end;
  out.chars += name.chars;
}

function writeScalar(out: Bytes, member: unknown): void {
  if (typeof member !== 'string') {
    // A number as String writes it, true, false or null: ASCII.
    writeAscii(out, scalarJson(member));
  } else if (!writePlainString(out, member)) {
    writeUtf8(out, scalarJson(member));
  }
}

/** `text`, every code unit of it below 0x80. */
function writeAscii(out: Bytes, text: string): void {
  reserve(out, text.length);
  const { buffer } = out;
  let { end } = out;
  for (let i = 0; i < text.length; i++) buffer[end++] = text.charCodeAt(i);
  out.end = end;
  out.chars += text.length;
}

function writeUtf8(out: Bytes, text: string): void {
  // UTF-8 takes at most 3 bytes a code unit.
  reserve(out, text.length * 3);
  out.end += out.buffer.write(text, out.end, 'utf8');
  out.chars += text.length;
}

/**
 * `"member"` when every code unit is printable ASCII but `"` and `\` (what JSON.stringify writes
 * as it is), else false with nothing kept. A loop of code units costs less than a native write's
 * call for the short strings an entry holds.
 */
function writePlainString(out: Bytes, member: string): boolean {
  reserve(out, member.length + 2);
  const { buffer } = out;
  const start = out.end;
  buffer[start] = QUOTE;
  for (let i = 0; i < member.length; i++) {
    const c = member.charCodeAt(i);
    if (c < SPACE || c > TILDE || c === QUOTE || c === BACKSLASH) return false;
    buffer[start + 1 + i] = c;
  }
  buffer[start + 1 + member.length] = QUOTE;
  out.end = start + member.length + 2;
  out.chars += member.length + 2;
  return true;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;
const TILDE = 0x7e;

/**
 * The same text for the common case, an object of scalars (every Activity Log entry Domo serves),
 * without the general writer's frames: one pass over the sorted keys. Undefined when a member is
 * an array or object (the general writer then takes over).
 */
function flatObjectJson(value: unknown, limits: CanonicalLimits): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || limits.maxDepth < 1) {
    return undefined;
  }
  const object = value as Record<string, unknown>;
  const shape = shapeOf(Object.keys(object));
  const { sorted, names, laterNames } = shape;
  let out = '{';
  let written = false;
  for (let i = 0; i < sorted.length; i++) {
    const member = object[sorted[i] as string];
    if (member === undefined) continue;
    if (member !== null && typeof member === 'object') return undefined;
    // Appended piece by piece: a template literal per member measured slower.
    out += (written ? laterNames[i] : names[i]) as string;
    out += scalarJson(member);
    written = true;
  }
  out += '}';
  if (out.length > limits.maxLength) {
    throw new CanonicalJsonError(`longer than ${limits.maxLength} characters as canonical JSON`);
  }
  return out;
}

/**
 * `JSON.stringify` of a scalar member (`null` for what it drops), without calling it for the
 * common cases: the call cost ~0.1 µs, and an entry has ~16 members. A string is written as it is
 * when it holds nothing JSON.stringify escapes (a quote, a backslash, a control character, a
 * surrogate: paired ones too, which it would keep, are simply left to it); a finite number is
 * written as String writes it, which is what JSON.stringify does.
 */
function scalarJson(member: unknown): string {
  if (typeof member === 'string') return ESCAPED.test(member) ? JSON.stringify(member) : `"${member}"`;
  if (typeof member === 'number' && Number.isFinite(member)) return String(member);
  return JSON.stringify(member) ?? 'null';
}

/** A character JSON.stringify writes escaped in a string (built from text: no control characters in a literal). */
const CONTROL_CHARS = '\u0000-\u001f';
const ESCAPED = new RegExp(`["\\\\${CONTROL_CHARS}\ud800-\udfff]`);

/** An object's keys sorted, and each written as a member name (`"key":`), and after a comma. */
interface Shape {
  keys: string[];
  sorted: string[];
  names: string[];
  laterNames: string[];
  /** The same names as UTF-8, for {@link flatObjectBytes}. */
  nameBytes: NameBytes[];
  laterNameBytes: NameBytes[];
}

/**
 * The shapes of the last objects written, the latest first: the entries of one page almost always
 * share their keys, so sorting them and escaping the names is done once per new shape, not once per
 * entry. A few are kept, not one, for pages where entries of two or three kinds alternate (Domo
 * leaving out members that are absent): rebuilding the shape at each change cost more than the
 * rest of the id (review R-HASH F3). The keys are compared in `Object.keys` order; equal lists
 * mean equal sets, so the sorted list is the same.
 */
const recentShapes: Shape[] = [];
const RECENT_SHAPES = 4;

function shapeOf(keys: string[]): Shape {
  for (let at = 0; at < recentShapes.length; at++) {
    const shape = recentShapes[at] as Shape;
    if (sameKeys(keys, shape.keys)) {
      if (at > 0) {
        recentShapes.splice(at, 1);
        recentShapes.unshift(shape);
      }
      return shape;
    }
  }
  const sorted = [...keys].sort();
  const names = sorted.map((key) => `${JSON.stringify(key)}:`);
  const laterNames = names.map((name) => `,${name}`);
  const shape = {
    keys,
    sorted,
    names,
    laterNames,
    nameBytes: names.map(utf8Of),
    laterNameBytes: laterNames.map(utf8Of),
  };
  recentShapes.unshift(shape);
  if (recentShapes.length > RECENT_SHAPES) recentShapes.pop();
  return shape;
}

function sameKeys(keys: readonly string[], known: readonly string[]): boolean {
  if (keys.length !== known.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== known[i]) return false;
  return true;
}

const utf8Of = (text: string): NameBytes => ({ bytes: Buffer.from(text, 'utf8'), chars: text.length });

/** Writes a primitive whole, or opens an array or object and pushes it. */
function write(writer: Writer, value: unknown): void {
  if (value === null || typeof value !== 'object') {
    writer.out += JSON.stringify(value) ?? 'null';
  } else if (value instanceof ExactNumber) {
    // Only in a value read by exactValue: a number JSON.parse could not hold, as Domo wrote it.
    writer.out += value.text;
  } else if (writer.stack.length >= writer.limits.maxDepth) {
    throw new CanonicalJsonError(`nested more than ${writer.limits.maxDepth} levels deep`);
  } else if (Array.isArray(value)) {
    writer.out += '[';
    writer.stack.push({ array: value, keys: [], next: 0, written: false });
  } else {
    const object = value as Record<string, unknown>;
    writer.out += '{';
    writer.stack.push({ object, keys: Object.keys(object).sort(), next: 0, written: false });
  }
  checkLength(writer);
}

function checkLength(writer: Writer): void {
  if (writer.out.length > writer.limits.maxLength) {
    throw new CanonicalJsonError(`longer than ${writer.limits.maxLength} characters as canonical JSON`);
  }
}

/** The frame's next value to write, its separator and key already written; DONE at its end. */
function nextChild(writer: Writer, frame: Frame): unknown {
  const { array, object, keys } = frame;
  if (array) {
    if (frame.next >= array.length) return DONE;
    if (frame.next > 0) writer.out += ',';
    return array[frame.next++];
  }
  while (frame.next < keys.length) {
    const key = keys[frame.next++] as string;
    const member = (object as Record<string, unknown>)[key];
    if (member === undefined) continue;
    writer.out += `${frame.written ? ',' : ''}${JSON.stringify(key)}:`;
    frame.written = true;
    return member;
  }
  return DONE;
}

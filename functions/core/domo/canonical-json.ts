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
}

/**
 * The shape of the last object written: the entries of one page almost always share their keys,
 * so sorting them and escaping the names is done once per change of shape, not once per entry.
 * The keys are compared in `Object.keys` order; equal lists mean equal sets, so the sorted list is
 * the same.
 */
let lastShape: Shape = { keys: [], sorted: [], names: [], laterNames: [] };

function shapeOf(keys: string[]): Shape {
  const last = lastShape.keys;
  let same = keys.length === last.length;
  for (let i = 0; same && i < keys.length; i++) same = keys[i] === last[i];
  if (!same) {
    const sorted = [...keys].sort();
    const names = sorted.map((key) => `${JSON.stringify(key)}:`);
    lastShape = { keys, sorted, names, laterNames: names.map((name) => `,${name}`) };
  }
  return lastShape;
}

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

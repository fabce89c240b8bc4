/**
 * Reads a JSON object fed as text in pieces, one member at a time, and each member of the members
 * whose value is an object one at a time too. The stored login profile is one JSON object whose
 * per-user sections hold millions of small arrays: parsed whole (62 MB of text at 1M events a
 * day) it became an object tree of several hundred MB, more than the alerts function's memory.
 * Read so, only one user's entry is ever a parsed value, and the caller keeps it in its compact
 * form. Whatever JSON.parse of the whole text accepts is read the same (an old profile too).
 */

export interface ObjectEntriesHandler {
  /** A member of the outer object whose value is not an object: its key and value as parsed. */
  member(key: string, value: unknown): void;
  /** The start of a member of the outer object whose value is an object (a section). */
  section(name: string): void;
  /** A member of the member `section` of the outer object: its key and value as parsed. */
  entry(section: string, key: string, value: unknown): void;
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Index after the string starting (at its quote) at `start`, or -1 when `text` ends first. */
function stringEnd(text: string, start: number): number {
  let at = start + 1;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote === -1) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    at = quote + 1;
  }
}

/** Index after the number or literal starting at `start`, or -1 when `text` ends first (it may go on). */
function scalarEnd(text: string, start: number): number {
  for (let at = start; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x2c || code === 0x5d || code === 0x7d || WHITESPACE.has(code)) return at;
  }
  return -1;
}

/** Index after the array or object starting at `start`, or -1 when `text` ends first. */
function containerEnd(text: string, start: number): number {
  let depth = 0;
  for (let at = start; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) {
      const end = stringEnd(text, at);
      if (end === -1) return -1;
      at = end - 1;
    } else if (code === 0x5b || code === 0x7b) depth++;
    else if ((code === 0x5d || code === 0x7d) && --depth === 0) return at + 1;
  }
  return -1;
}

/**
 * Index after the value starting at `start`, or -1 when `text` ends first. Only finds where it
 * ends: JSON.parse of the slice judges it.
 */
function valueEnd(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === QUOTE) return stringEnd(text, start);
  return first === 0x5b || first === 0x7b ? containerEnd(text, start) : scalarEnd(text, start);
}

const malformed = (at: number): Error =>
  new SyntaxError(`malformed JSON object near offset ${at} of a piece`);

export class JsonObjectEntries {
  private text = '';
  private at = 0;
  /** Where the reader is: before the outer `{`, among its members, inside a section, after its `}`. */
  private state: 'start' | 'members' | 'section' | 'done' = 'start';
  private section = '';
  /** Whether a member was read since the last `{` (a `,` must come before the next one). */
  private afterMember = false;

  constructor(private readonly handler: ObjectEntriesHandler) {}

  /** Reads the next piece of the text; throws when it cannot be (part of) one JSON object. */
  push(piece: string): void {
    this.text = this.text.slice(this.at) + piece;
    this.at = 0;
    while (this.step()) {}
  }

  /** Ends the text; throws when the object was not complete. */
  end(): void {
    this.push('');
    if (this.state !== 'done' || this.skip(this.at) !== this.text.length) throw malformed(this.at);
  }

  /** The first index from `at` that is not whitespace. */
  private skip(from: number): number {
    let at = from;
    while (at < this.text.length && WHITESPACE.has(this.text.charCodeAt(at))) at++;
    return at;
  }

  /** Reads one token or member; false when the text ends before it does. */
  private step(): boolean {
    let at = this.skip(this.at);
    if (at >= this.text.length) return false;
    const code = this.text.charCodeAt(at);
    if (this.state === 'done') throw malformed(at);
    if (this.state === 'start') {
      if (code !== 0x7b) throw malformed(at);
      return this.moveTo(at + 1, 'members', false);
    }
    if (code === 0x7d) return this.moveTo(at + 1, this.state === 'section' ? 'members' : 'done', true);
    if (this.afterMember) {
      if (code !== 0x2c) throw malformed(at);
      at = this.skip(at + 1);
      if (at >= this.text.length) return false;
    }
    return this.member(at);
  }

  /** Reads the member starting at `at`; false when the text ends before it does. */
  private member(at: number): boolean {
    // A member: its key, `:` and value, read once the text holds all of it (an object value of the
    // outer object: only its `{`).
    if (this.text.charCodeAt(at) !== QUOTE) throw malformed(at);
    const keyEnd = stringEnd(this.text, at);
    if (keyEnd === -1) return false;
    const colon = this.skip(keyEnd);
    if (colon >= this.text.length) return false;
    if (this.text.charCodeAt(colon) !== 0x3a) throw malformed(colon);
    const start = this.skip(colon + 1);
    if (start >= this.text.length) return false;
    const key = JSON.parse(this.text.slice(at, keyEnd)) as string;
    if (this.state === 'members' && this.text.charCodeAt(start) === 0x7b) {
      this.section = key;
      this.handler.section(key);
      return this.moveTo(start + 1, 'section', false);
    }
    const end = valueEnd(this.text, start);
    if (end === -1) return false;
    const value: unknown = JSON.parse(this.text.slice(start, end));
    if (this.state === 'section') this.handler.entry(this.section, key, value);
    else this.handler.member(key, value);
    this.at = end;
    this.afterMember = true;
    return true;
  }

  /** Consumes the text up to `at`; `afterMember`: a `,` must come before the next member. */
  private moveTo(at: number, state: JsonObjectEntries['state'], afterMember: boolean): true {
    this.at = at;
    this.state = state;
    this.afterMember = afterMember;
    return true;
  }
}

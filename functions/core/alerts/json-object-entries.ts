/**
 * Reads a JSON object fed as text in pieces, one member at a time, and each member of the members
 * whose value is an object one at a time too. The stored login profile is one JSON object whose
 * per-user sections hold millions of small arrays: parsed whole (62 MB of text at 1M events a
 * day) it became an object tree of several hundred MB, more than the alerts function's memory.
 * Read so, only one user's entry is ever a parsed value, and the caller keeps it in its compact
 * form. Whatever JSON.parse of the whole text accepts is read the same (an old profile too).
 */

interface ObjectEntriesHandler {
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
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Finds where one key or value ends in text that comes in pieces, looking at each character once:
 * it carries what it knows (how deep in arrays and objects, whether in a string, after a `\`) from
 * one piece to the next. Re-scanning the value from its start on each piece made a value cost time
 * quadratic in its size (a 100 MB array in 1 MB pieces: 25 s of CPU, 3 s now). Only finds where
 * it ends: JSON.parse of it judges it.
 */
class ValueEnd {
  private depth = 0;
  private inString = false;
  private escaped = false;

  /** Starts a new value. */
  reset(): void {
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }

  /** Index in `text` after the value, looking from `from` on; -1 when `text` ends first. */
  find(text: string, from: number): number {
    let at = from;
    while (at < text.length) {
      if (this.inString) {
        const after = this.stringEnd(text, at);
        if (after === -1 || this.depth === 0) return after;
        at = after;
      } else {
        const end = this.outsideString(text.charCodeAt(at), at);
        if (end !== -1) return end;
        at++;
      }
    }
    return -1;
  }

  /** Index after the closing quote of the string `text` is in at `from`; -1 when `text` ends first. */
  private stringEnd(text: string, from: number): number {
    for (let at = from; at < text.length; at++) {
      if (this.escaped) this.escaped = false;
      else {
        const code = text.charCodeAt(at);
        if (code === BACKSLASH) this.escaped = true;
        else if (code === QUOTE) {
          this.inString = false;
          return at + 1;
        }
      }
    }
    return -1;
  }

  /** Takes `code`, at `at` and not in a string: the index after the value when it ends it, else -1. */
  private outsideString(code: number, at: number): number {
    if (code === QUOTE) this.inString = true;
    else if (code === OPEN_BRACKET || code === OPEN_BRACE) this.depth++;
    else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) {
      // At depth 0 it closes the object the value (a number or literal) is in.
      if (this.depth === 0) return at;
      if (--this.depth === 0) return at + 1;
    } else if (this.depth === 0 && (code === COMMA || WHITESPACE.has(code))) return at;
    return -1;
  }
}

const malformed = (at: number): Error =>
  new SyntaxError(`malformed JSON object near offset ${at} of a piece`);

/** What the reader looks for next. */
type Expected = 'open' | 'keyOrClose' | 'commaOrClose' | 'key' | 'colon' | 'value' | 'done';

export class JsonObjectEntries {
  /** The piece being read; what a key or value begun in an earlier piece had of it is in `parts`. */
  private text = '';
  private at = 0;
  private expected: Expected = 'open';
  /** The section being read, if inside one. */
  private section: string | undefined;
  private key = '';
  /** Whether a key (or value) is being read, begun at `at` or in an earlier piece. */
  private inToken = false;
  /** The earlier pieces' parts of the key or value being read: joined once it ends. */
  private parts: string[] = [];
  private readonly valueEnd = new ValueEnd();

  constructor(private readonly handler: ObjectEntriesHandler) {}

  /** Reads the next piece of the text; throws when it cannot be (part of) one JSON object. */
  push(piece: string): void {
    this.text = piece;
    this.at = 0;
    while (this.step()) {}
  }

  /** Ends the text; throws when the object was not complete. */
  end(): void {
    if (this.inToken || this.expected !== 'done') throw malformed(this.at);
  }

  /** Reads one token or member; false when the piece ends first. */
  private step(): boolean {
    if (this.inToken) return this.readToken();
    while (this.at < this.text.length && WHITESPACE.has(this.text.charCodeAt(this.at))) this.at++;
    if (this.at >= this.text.length) return false;
    const code = this.text.charCodeAt(this.at);
    if (this.startsToken(code)) {
      this.inToken = true;
      this.valueEnd.reset();
    } else {
      this.expected = this.afterPunctuation(code);
      this.at++;
    }
    return true;
  }

  /** Whether `code` begins the key or value expected (a section's `{` is no value). */
  private startsToken(code: number): boolean {
    if (this.expected === 'value') return code !== OPEN_BRACE || this.section !== undefined;
    return code === QUOTE && (this.expected === 'key' || this.expected === 'keyOrClose');
  }

  /** What is expected after `code` (one of `{}:,`); throws when it is not one expected now. */
  private afterPunctuation(code: number): Expected {
    const expected = this.expected;
    if (code === CLOSE_BRACE && (expected === 'keyOrClose' || expected === 'commaOrClose')) {
      const inSection = this.section !== undefined;
      this.section = undefined;
      return inSection ? 'commaOrClose' : 'done';
    }
    if (code === OPEN_BRACE && expected === 'open') return 'keyOrClose';
    if (code === OPEN_BRACE && expected === 'value') {
      this.section = this.key;
      this.handler.section(this.key);
      return 'keyOrClose';
    }
    if (code === COMMA && expected === 'commaOrClose') return 'key';
    if (code === COLON && expected === 'colon') return 'value';
    throw malformed(this.at);
  }

  /** Reads on in the key or value begun; false when the piece ends first. */
  private readToken(): boolean {
    const end = this.valueEnd.find(this.text, this.at);
    if (end === -1) {
      this.parts.push(this.text.slice(this.at));
      this.at = this.text.length;
      return false;
    }
    let token = this.text.slice(this.at, end);
    if (this.parts.length > 0) {
      this.parts.push(token);
      token = this.parts.join('');
      this.parts = [];
    }
    this.at = end;
    this.inToken = false;
    if (this.expected === 'value') {
      const value: unknown = JSON.parse(token);
      if (this.section === undefined) this.handler.member(this.key, value);
      else this.handler.entry(this.section, this.key, value);
      this.expected = 'commaOrClose';
    } else {
      this.key = JSON.parse(token) as string;
      this.expected = 'colon';
    }
    return true;
  }
}

/** One entry as served: the parsed value, and its JSON text byte for byte (the lake's `raw`). */
export interface ServedEntry {
  value: unknown;
  text: string;
  /** The entry held one of the client's credentials: `text` and `value` are scrubbed, it is quarantined. */
  credential?: true;
  /** The entry's bytes were not valid UTF-8: `text` holds U+FFFD where they were; it is quarantined. */
  invalidUtf8?: true;
  /** The entry is not JSON: `value` is its text, this the parser's error; it is quarantined. */
  notJson?: string;
  /** A stand-in for an entry too large to read (`text` is not Domo's): why it is quarantined. */
  tooLarge?: string;
}

/**
 * Which of several byte patterns a buffer holds, in one pass instead of one native search per
 * pattern: the page scan (credential-entries.ts) looks for ~25 forms of the credentials in every
 * audit page, and 25 `Buffer.includes` of a ~0.4 MB page cost ~2 ms, ~0.3 CPU s of a 100k-event
 * ingest (performance.md, "The page scan in one pass").
 *
 * Sampled q-grams (Wu-Manber's filter): an occurrence of a pattern of at least `shortest` bytes
 * covers `shortest - GRAM + 1` consecutive starts of a `GRAM`-byte window, so reading the window at
 * every `step`-th start of the buffer meets each occurrence at least once, at one of the pattern's
 * first `step` windows. Only the windows some pattern begins with (at those offsets) are looked up,
 * through a bit table first, and only a hit is compared byte for byte. The answer is exactly that of
 * `patterns.filter((p) => buffer.includes(p))`, in the same order.
 */
export interface BytePatterns {
  /** The patterns `buffer` holds, in the order given. */
  heldBy(buffer: Buffer): string[];
}

/** Bytes read at each sampled start. */
const GRAM = 4;
/** Bits of the hash that indexes the filter table. */
const TABLE_BITS = 16;
const TABLE_MASK = (1 << TABLE_BITS) - 1;

/** A pattern's window `offset` bytes into it. */
interface Candidate {
  pattern: number;
  offset: number;
}

const gramAt = (bytes: Uint8Array, at: number): number =>
  ((bytes[at] as number) << 24) |
  ((bytes[at + 1] as number) << 16) |
  ((bytes[at + 2] as number) << 8) |
  (bytes[at + 3] as number);

/** The filter table's index of a window: its 32 bits folded to `TABLE_BITS`. */
const slotOf = (gram: number): number => (gram ^ (gram >>> TABLE_BITS) ^ (gram >>> 7)) & TABLE_MASK;

/** Whether `bytes` hold `pattern` at `at` (in range). */
function holdsAt(bytes: Uint8Array, at: number, pattern: Uint8Array): boolean {
  if (at < 0 || at + pattern.length > bytes.length) return false;
  for (let i = 0; i < pattern.length; i++) if (bytes[at + i] !== pattern[i]) return false;
  return true;
}

/**
 * Whether a window of `bytes` repeats anywhere in it: a pattern with a period (one letter run long,
 * a text repeated) meets a page repeating that period at every sample, and is compared there at
 * length (R-SCAN L1 for a run of one letter, R-LOOKB F1 for longer periods).
 */
function repeatsAWindow(bytes: Uint8Array): boolean {
  const seen = new Set<number>();
  for (let offset = 0; offset + GRAM <= bytes.length; offset++) {
    const gram = gramAt(bytes, offset);
    if (seen.has(gram)) return true;
    seen.add(gram);
  }
  return false;
}

export function bytePatterns(patterns: readonly string[]): BytePatterns {
  const encoded = patterns.map((pattern) => Buffer.from(pattern, 'utf8'));
  const shortest = encoded.reduce((least, bytes) => Math.min(least, bytes.length), Number.POSITIVE_INFINITY);
  // Too short to sample (or nothing to find): the native searches, one per pattern.
  if (encoded.length === 0 || shortest < GRAM) {
    return { heldBy: (buffer) => patterns.filter((pattern) => buffer.includes(pattern)) };
  }
  const step = shortest - GRAM + 1;
  const table = new Uint8Array(1 << TABLE_BITS);
  const candidates = new Map<number, Candidate[]>();
  // A pattern that repeats a window of its own (a secret of one letter run long, or periodic) would
  // be compared at length wherever the page repeats it too: 0.8 s for an 8 MiB page of one letter
  // against a native search's 30 ms (review R-SCAN L1; 0.5 s against 7 ms for a period of 6,
  // R-LOOKB F1). Such a pattern is searched natively; the sampled pass keeps those it costs little.
  const native = encoded.map((bytes) => repeatsAWindow(bytes));
  encoded.forEach((bytes, pattern) => {
    if (native[pattern]) return;
    for (let offset = 0; offset < step; offset++) {
      const gram = gramAt(bytes, offset);
      table[slotOf(gram)] = 1;
      const known = candidates.get(gram);
      if (known) known.push({ pattern, offset });
      else candidates.set(gram, [{ pattern, offset }]);
    }
  });
  const sampled = native.filter((isNative) => !isNative).length;
  return {
    heldBy(buffer) {
      const found = native.map((isNative, i) => isNative && buffer.includes(encoded[i] as Buffer));
      let left = sampled;
      const last = buffer.length - GRAM;
      for (let at = 0; at <= last && left > 0; at += step) {
        const gram = gramAt(buffer, at);
        if (table[slotOf(gram)] === 0) continue;
        for (const { pattern, offset } of candidates.get(gram) ?? []) {
          if (found[pattern] || !holdsAt(buffer, at - offset, encoded[pattern] as Uint8Array)) continue;
          found[pattern] = true;
          left--;
        }
      }
      return patterns.filter((_, i) => found[i]);
    },
  };
}

/** How far a verify has read: a year's lake on S3 takes minutes, with nothing else to show. */
export interface VerifyProgress {
  /** Objects read so far: manifests, objects, digests. */
  read: number;
  /**
   * Of about this many: it grows as each pass learns what it will read (the hours in range, the
   * digests listed, the objects the digests list), and is never below `read`.
   */
  expected: number;
}

/** Counts a verify's reads for a progress line, and reports each change to `onProgress`. */
export class VerifyReads {
  private read = 0;
  private expected = 0;

  constructor(private readonly onProgress: (progress: VerifyProgress) => void) {}

  /** `count` more objects to read, as a pass learns of them. */
  expect(count: number): void {
    this.expected += Math.max(0, count);
    this.report();
  }

  /** One more object read. */
  done(): void {
    this.read++;
    // What an estimate left out (an hour's quarantine object) counts when it is read.
    this.expected = Math.max(this.expected, this.read);
    this.report();
  }

  private report(): void {
    this.onProgress({ read: this.read, expected: this.expected });
  }
}

/**
 * A small seedable pseudo-random generator. Generated instances, entry variations and fault plans
 * must repeat exactly for a seed (tests and bug reports depend on it), which `Math.random` cannot do.
 * The core is a 128-bit small-fast-counter generator; seeds of any text are spread over its state by
 * an FNV-1a hash followed by a 32-bit avalanche mixer.
 */

export type Seed = number | string;

function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function avalanche(value: number): number {
  let z = value | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Deterministic random source. `fork(label)` derives an independent stream from the seed alone. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private readonly seedText: string;

  constructor(seed: Seed) {
    this.seedText = typeof seed === 'number' ? `#${seed}` : seed;
    const h = hashText(this.seedText);
    this.a = avalanche(h + 0x9e3779b9);
    this.b = avalanche(h + 0x3c6ef372);
    this.c = avalanche(h + 0xdaa66d2b);
    this.d = 1;
    // Warm-up: the first outputs of a freshly seeded counter generator are poorly mixed.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A new generator whose sequence depends only on this generator's seed and `label`. */
  fork(label: Seed): Prng {
    return new Prng(`${this.seedText}/${String(label)}`);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Prng.pick needs at least one item');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Index into a table of cumulative weights (ascending, last element = total weight). */
  pickCumulative(cumulative: readonly number[]): number {
    const total = cumulative[cumulative.length - 1];
    if (total === undefined || total <= 0) throw new RangeError('Prng.pickCumulative needs a positive total');
    const target = this.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** `count` distinct items in random order (all of them when count >= items.length). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy.slice(0, Math.max(0, count));
  }

  /** Lower-case hex digits. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.nextUint32().toString(16).padStart(8, '0');
    return out.slice(0, length);
  }

  /** A version-4-shaped UUID drawn from this stream (not cryptographically random). */
  uuid(): string {
    const h = this.hex(32);
    const variant = ((Number.parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

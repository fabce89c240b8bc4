/** Where a key's versions began: no version (a create-only put, or the genesis adopting it). */
const NOTHING = null;

/**
 * The recorded writes of one key, as moves from the version each replaced to the version it wrote,
 * in whatever order the digests list them.
 *
 * Every write of a table object is conditional on the version it read (`If-Match`, or
 * `If-None-Match: *` for a create), so the key's real history is one walk: a create, then each
 * write from the version the one before it left. A walk that uses every move ends where its moves
 * say, whatever their order: at the one version written once more than it was replaced. So when
 * the recorded moves are such a walk, the version an object should hold is known exactly, even
 * when overlapping runs listed their writes out of time order and bytes recur (`enrich` with
 * other rules, then with the first ones). When they are not (a write listed twice, by two writers
 * that made the same bytes from one version; a dead run's write that no digest lists; a digest
 * that does not say what a write replaced), {@link end} says so and the caller judges otherwise.
 */
export class WriteWalk {
  /** Per version: times written, less times replaced. */
  private readonly balance = new Map<string | typeof NOTHING, number>();
  /** Per version: the versions written over it. */
  private readonly next = new Map<string | typeof NOTHING, Set<string>>();
  /** A write whose digest does not say what it replaced: the walk cannot be followed. */
  private unknownMove = false;

  /** A recorded write of `to` over `from` (null: a create, or an adoption at the genesis). */
  move(from: string | null, to: string): void {
    this.balance.set(from, (this.balance.get(from) ?? 0) - 1);
    this.balance.set(to, (this.balance.get(to) ?? 0) + 1);
    const after = this.next.get(from) ?? new Set();
    this.next.set(from, after.add(to));
  }

  /** A recorded write that does not say what it replaced. */
  unknown(): void {
    this.unknownMove = true;
  }

  /**
   * The version the key holds after its recorded writes, when they form one walk from one create
   * and every version in `listed` (those the chain lists for the key) is one they wrote; otherwise
   * undefined.
   */
  end(listed: Iterable<string>): string | undefined {
    if (this.unknownMove) return undefined;
    // Every move adds as much as it takes: with one version ahead by one and every other even,
    // nothing (the create) is behind by exactly one.
    let end: string | undefined;
    for (const [version, balance] of this.balance) {
      if (version === NOTHING || balance === 0) continue;
      if (balance !== 1 || end !== undefined) return undefined;
      end = version;
    }
    for (const version of listed) if (!this.balance.has(version)) return undefined;
    return this.allReached() ? end : undefined;
  }

  /** Whether every version the moves name is reached from the create: no loop stands apart. */
  private allReached(): boolean {
    const reached = new Set<string | typeof NOTHING>([NOTHING]);
    const pending: (string | typeof NOTHING)[] = [NOTHING];
    for (let at = pending.pop(); at !== undefined; at = pending.pop()) {
      for (const to of this.next.get(at) ?? []) {
        if (reached.has(to)) continue;
        reached.add(to);
        pending.push(to);
      }
    }
    return reached.size === this.balance.size;
  }
}

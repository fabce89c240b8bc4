/** What is wrong with an explicit range of hours. */
export type RangeProblem = 'not-whole-hours' | 'empty' | 'not-closed';

/** How a caller names the two bounds: a command's flags, an invocation event's fields. */
interface BoundNames {
  from: string;
  to: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * An explicit range (a re-pull) that cannot be ingested. The core does not know what the caller
 * called the bounds, so the message names them neutrally; {@link describe} words it with the
 * caller's names (`--from`/`--to` on the command line, `rePull.from`/`rePull.to` in the Lambda).
 */
export class InvalidRangeError extends Error {
  constructor(
    readonly problem: RangeProblem,
    readonly fromMs: number,
    readonly toMs: number,
    /** End of the newest hour that can be pulled, and the settle time it is based on. */
    readonly closed: { endMs: number; settleMinutes: number },
  ) {
    super('');
    this.name = 'InvalidRangeError';
    this.message = this.describe({ from: 'the start', to: 'the end' });
  }

  describe(names: BoundNames): string {
    const from = `${names.from} ${iso(this.fromMs)}`;
    const to = `${names.to} ${iso(this.toMs)}`;
    switch (this.problem) {
      case 'not-whole-hours':
        return `${from} and ${to} must fall on whole UTC hours (for example 2026-10-01T00:00:00Z), because the lake stores one object per hour`;
      case 'empty':
        return `${to} must be after ${from}`;
      case 'not-closed':
        return `${to} is not closed yet: the newest hour that can be pulled ends at ${iso(this.closed.endMs)} (windows must end ${this.closed.settleMinutes} min before now)`;
    }
  }
}

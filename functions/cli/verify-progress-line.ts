import { VerifyReads } from '../core/lake/verify-progress.ts';
import { formatEta } from './progress.ts';

/**
 * The line a verify shows on a terminal (stderr) while it reads: objects read, of about how many,
 * and the time so far, redrawn at most five times a second (a year's lake on S3 takes a minute or
 * more, and printed nothing until its report). Off when stderr is not a TTY, so pipes, logs and
 * `--json` output stay clean; cleared before the report.
 */
export function verifyProgressLine(
  label: string,
  stream: NodeJS.WriteStream,
  // Monotonic: after a wall clock set back an hour, the line was not redrawn for that hour.
  now: () => number = () => performance.now(),
): { reads?: VerifyReads; done(): void } {
  if (!stream.isTTY) return { done() {} };
  const started = now();
  let last = Number.NEGATIVE_INFINITY;
  let shown = false;
  // Reads still in flight when a verify fails count on after done(): nothing is drawn then.
  let finished = false;
  const reads = new VerifyReads(({ read, expected }) => {
    const at = now();
    if (finished || at - last < 200) return;
    last = at;
    shown = true;
    const count = (n: number) => n.toLocaleString('en-US');
    const counts = `${label}: ${count(read)} of ~${count(expected)} objects read`;
    const line = `${counts}, ${formatEta(at - started)}`;
    // Within the terminal's width (a wrapped line cannot be redrawn in place with \r): the time
    // goes first, then the line is cut.
    const width = stream.columns ? stream.columns - 1 : line.length;
    stream.write(`\r${(line.length <= width ? line : counts).slice(0, width)}\x1b[K`);
  });
  return {
    reads,
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
      finished = true;
    },
  };
}

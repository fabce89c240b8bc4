import type { IngestProgress } from '../core/ingest/ingest-types.ts';

/**
 * A one-line progress display on a terminal (stderr), redrawn at most a few times a second.
 * Off when stderr is not a TTY, so logs and pipes stay clean.
 */
export function terminalProgress(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): { update(p: IngestProgress): void; done(): void } {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 200 && p.windowsDone < p.windowsPlanned) return;
      last = now;
      shown = true;
      const pct = p.windowsPlanned === 0 ? 100 : Math.floor((p.windowsDone / p.windowsPlanned) * 100);
      const at = new Date(p.currentWindowStartMs).toISOString().slice(0, 13).replace('T', ' ');
      stream.write(
        `\r${label}: ${p.windowsDone}/${p.windowsPlanned} hours (${pct}%), ${p.eventsWritten.toLocaleString('en-US')} events, at ${at}:00Z\x1b[K`,
      );
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}

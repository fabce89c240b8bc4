import type { IngestProgress } from '../core/ingest/ingest-types.ts';

/** What one progress line shows besides the run's own counts. */
export interface ProgressRates {
  elapsedMs: number;
  /** Requests made to Domo so far (token requests included). */
  requests: number;
}

/** `42 s`, `3 min 05 s`, `1 h 07 min`. */
export function formatEta(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * One progress line: hours done of planned, events written, the request rate, an estimate of the
 * time left from the pace so far (none until the first hour is done), and the hour before which
 * every planned hour is stored (it only moves forward, however the hours in flight finish).
 */
export function formatProgress(label: string, p: IngestProgress, rates: ProgressRates): string {
  const pct = p.windowsPlanned === 0 ? 100 : Math.floor((p.windowsDone / p.windowsPlanned) * 100);
  const seconds = rates.elapsedMs / 1000;
  const rate = seconds > 0 ? (rates.requests / seconds).toFixed(1) : '0.0';
  const left = p.windowsPlanned - p.windowsDone;
  const eta =
    left <= 0
      ? 'done'
      : p.windowsDone === 0
        ? 'ETA --'
        : `ETA ${formatEta((rates.elapsedMs / p.windowsDone) * left)}`;
  const upTo = new Date(p.storedBeforeMs).toISOString().slice(0, 13).replace('T', ' ');
  const hours = `${p.windowsDone.toLocaleString('en-US')}/${p.windowsPlanned.toLocaleString('en-US')} hours (${pct}%)`;
  return `${label}: ${hours}, ${p.eventsWritten.toLocaleString('en-US')} events, ${rate} req/s, ${eta}, done up to ${upTo}:00Z`;
}

/**
 * A one-line progress display on a terminal (stderr), redrawn at most five times a second.
 * Off when stderr is not a TTY, so logs and pipes stay clean.
 */
export function terminalProgress(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
  requests: () => number = () => 0,
  now: () => number = Date.now,
): { update(p: IngestProgress): void; done(): void } {
  if (!stream.isTTY) return { update() {}, done() {} };
  const started = now();
  let last = 0;
  let shown = false;
  return {
    update(p) {
      const at = now();
      if (at - last < 200 && p.windowsDone < p.windowsPlanned) return;
      last = at;
      shown = true;
      // Cut to the terminal's width: a wrapped line cannot be redrawn in place with \r.
      const line = formatProgress(label, p, { elapsedMs: at - started, requests: requests() });
      const width = stream.columns ? stream.columns - 1 : line.length;
      stream.write(`\r${line.slice(0, width)}\x1b[K`);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}

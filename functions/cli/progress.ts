import type { IngestProgress } from '../core/ingest/ingest-types.ts';

/** What a progress line shows: an ingest's progress, or only hours for a command that writes no events. */
type ProgressState = Omit<IngestProgress, 'eventsWritten'> & { eventsWritten?: number };

/** What one progress line shows besides the run's own counts. */
interface ProgressRates {
  elapsedMs: number;
  /** Requests made to Domo so far (token requests included); absent: the line shows no rate. */
  requests?: number;
}

/** `42 s`, `3 min 05 s`, `1 h 07 min`; compact: `42s`, `3m05s`, `1h07m`. */
export function formatEta(ms: number, compact = false): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const [h, m, s] = compact ? ['h', 'm', 's'] : [' h ', ' min ', ' s'];
  if (seconds < 60) return `${seconds}${s}`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}${m}${String(seconds % 60).padStart(2, '0')}${s}`;
  return `${Math.floor(minutes / 60)}${h}${String(minutes % 60).padStart(2, '0')}${compact ? 'm' : ' min'}`;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** `2026-10-01 05:00Z`; short, without the year: `10-01 05:00Z`. */
const hourOf = (ms: number, short = false): string =>
  `${new Date(ms)
    .toISOString()
    .slice(short ? 5 : 0, 13)
    .replace('T', ' ')}:00Z`;

/** The estimate of the time left at the pace so far: none until the first hour is done. */
function estimate(p: ProgressState, elapsedMs: number, compact: boolean): string {
  const left = p.windowsPlanned - p.windowsDone;
  if (left <= 0) return 'done';
  if (p.windowsDone === 0) return 'ETA --';
  return `ETA ${formatEta((elapsedMs / p.windowsDone) * left, compact)}`;
}

/**
 * The parts of a progress line, from the fullest line to the shortest: a narrow terminal gets the
 * first that fits. Words are abbreviated first (the estimate, the year of the stored hour, then
 * `hours` and `events`), so an 80-column terminal keeps every part of a usual run's line but the
 * request rate; then the least useful part goes first (where the stored hours reach, then the request rate, then the events).
 * The estimate of the time left is only abbreviated, never dropped: it is what someone watching a
 * long run wants to know.
 */
function variants(p: ProgressState, rates: ProgressRates): string[][] {
  const pct = p.windowsPlanned === 0 ? 100 : Math.floor((p.windowsDone / p.windowsPlanned) * 100);
  const seconds = rates.elapsedMs / 1000;
  const done = `${count(p.windowsDone)}/${count(p.windowsPlanned)}`;
  const hours = `${done} hours (${pct}%)`;
  const events = p.eventsWritten === undefined ? [] : [`${count(p.eventsWritten)} events`];
  const rate =
    rates.requests === undefined
      ? []
      : [`${seconds > 0 ? (rates.requests / seconds).toFixed(1) : '0.0'} req/s`];
  const eta = estimate(p, rates.elapsedMs, false);
  const short = estimate(p, rates.elapsedMs, true);
  const stored = `done up to ${hourOf(p.storedBeforeMs, true)}`;
  return [
    [hours, ...events, ...rate, eta, `done up to ${hourOf(p.storedBeforeMs)}`],
    [hours, ...events, ...rate, short, stored],
    [hours, ...events, short, stored],
    // As short as words get (status's `ev`): what keeps the stored hour at 80 columns for a backfill.
    [
      `${done} (${pct}%)`,
      ...(p.eventsWritten === undefined ? [] : [`${count(p.eventsWritten)} ev`]),
      short,
      stored,
    ],
    [hours, ...events, ...rate, eta],
    [hours, ...events, ...rate, short],
    [hours, ...events, short],
    [hours, short],
    [`${done} (${pct}%)`, short],
  ];
}

/**
 * One progress line, at most `width` characters: hours done of planned, events written, the
 * request rate, an estimate of the time left from the pace so far, and the hour before which every
 * planned hour is stored (it only moves forward, however the hours in flight finish). Parts are
 * abbreviated or left out, least useful first, until the line fits (see `variants`), the label
 * last; a width too small even for the shortest line cuts that one.
 */
export function formatProgress(
  label: string,
  p: ProgressState,
  rates: ProgressRates,
  width = Number.POSITIVE_INFINITY,
): string {
  const all = variants(p, rates);
  const shortest = (all.at(-1) ?? []).join(', ');
  // The label goes last of all: on a very narrow terminal the numbers matter more than the name.
  const lines = [...all.map((parts) => `${label}: ${parts.join(', ')}`), shortest];
  const fits = lines.find((line) => line.length <= width);
  return fits ?? (lines.at(-1) ?? '').slice(0, Math.max(0, width));
}

/** A command's progress line, and the lines it prints while that line is shown. */
export interface TerminalProgress {
  update(p: ProgressState): void;
  /** A whole line said while the run goes on: above the progress line on a terminal, else as is. */
  note(line: string): void;
  done(): void;
}

/**
 * A one-line progress display on a terminal (stderr), redrawn at most five times a second.
 * Off when stderr is not a TTY, so logs and pipes stay clean. Without `requests` the line shows no
 * request rate (a command that asks Domo for nothing).
 */
export function terminalProgress(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
  requests?: () => number,
  // Monotonic: after a wall clock set back an hour, the line was not redrawn for that hour.
  now: () => number = () => performance.now(),
): TerminalProgress {
  if (!stream.isTTY) return { update() {}, done() {}, note: (line) => stream.write(`${line}\n`) };
  const started = now();
  let last = Number.NEGATIVE_INFINITY;
  let shown = false;
  // Once cleared, the line stays gone: after a Ctrl-C the windows still storing keep reporting,
  // and a redraw would put the progress back under the "stopping" line (and "quitting now" on it).
  let finished = false;
  let latest: ProgressState | undefined;
  const draw = (p: ProgressState, at: number) => {
    shown = true;
    // Within the terminal's width: a wrapped line cannot be redrawn in place with \r.
    const width = stream.columns ? stream.columns - 1 : undefined;
    const rates = { elapsedMs: at - started, ...(requests ? { requests: requests() } : {}) };
    stream.write(`\r${formatProgress(label, p, rates, width)}\x1b[K`);
  };
  return {
    update(p) {
      if (finished) return;
      latest = p;
      const at = now();
      if (at - last < 200 && p.windowsDone < p.windowsPlanned) return;
      last = at;
      draw(p, at);
    },
    note(line) {
      // Above the progress line, which is drawn again under it: a line written over it would be
      // overwritten by the next redraw.
      stream.write(`${shown && !finished ? '\r\x1b[K' : ''}${line}\n`);
      if (latest !== undefined && !finished) draw(latest, now());
    },
    done() {
      if (shown && !finished) stream.write('\r\x1b[K');
      finished = true;
    },
  };
}

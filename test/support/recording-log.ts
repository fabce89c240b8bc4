import type { Log } from '../../functions/core/ports.ts';

/**
 * A log that keeps every line as `[level, message, fields]`, so a test can look through all that
 * was said (for a secret that must not be there, or a warning that must).
 */
export function recordingLog(): { log: Log; logged: unknown[] } {
  const logged: unknown[] = [];
  const record = (level: string) => (message: string, fields?: unknown) =>
    logged.push([level, message, fields]);
  return {
    logged,
    log: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
  };
}

import type { Log, LogFields } from '../core/ports.ts';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LEVELS)[number] | 'silent';

/** Human-readable log lines on stderr for the command line, at or above `level`. */
export function consoleLog(level: LogLevel, stream: NodeJS.WritableStream = process.stderr): Log {
  const threshold = level === 'silent' ? LEVELS.length : LEVELS.indexOf(level);
  const at =
    (name: (typeof LEVELS)[number]) =>
    (message: string, fields?: LogFields): void => {
      if (LEVELS.indexOf(name) < threshold) return;
      const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
      stream.write(`${name}: ${message}${extra}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { consoleLog, type LogLevel } from '../../functions/cli/console-log.ts';

/** The lines a log at `level` writes when each of its levels is called once. */
function linesAt(level: LogLevel): string {
  const stream = new PassThrough();
  const log = consoleLog(level, stream);
  log.debug('d', { n: 1 });
  log.info('i', {});
  log.warn('w');
  log.error('e', { why: 'x' });
  return String(stream.read() ?? '');
}

describe('consoleLog', () => {
  it('writes each line with its level, fields as JSON only when there are some', () => {
    expect(linesAt('debug')).toBe('debug: d {"n":1}\ninfo: i\nwarn: w\nerror: e {"why":"x"}\n');
  });

  it('writes only the levels at or above its own, and nothing when silent', () => {
    expect(linesAt('info')).toBe('info: i\nwarn: w\nerror: e {"why":"x"}\n');
    expect(linesAt('error')).toBe('error: e {"why":"x"}\n');
    expect(linesAt('silent')).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import {
  ingestCommand,
  ingestConfig,
  ingestHelp,
  ingestOptions,
} from '../../functions/cli/commands/ingest.ts';
import { ingestStoppedMessage } from '../../functions/cli/failure-message.ts';
import { parseOptions } from '../../functions/cli/options.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';
import { READ_TIME_CEILING } from '../../functions/core/ingest/fetch-range.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';

const configOf = (...args: string[]) =>
  ingestConfig(parseOptions(args, ingestOptions).values as Parameters<typeof ingestConfig>[0], 'acme', {});

describe('--max-read-minutes: the time each read of Domo gets (review R-HOSTILE2 MEDIUM-1)', () => {
  it('gives each read 30 minutes unless told, and what it is told', () => {
    expect(configOf().maxReadMs).toBe(30 * 60_000);
    expect(configOf('--max-read-minutes', '90').maxReadMs).toBe(90 * 60_000);
  });

  it('refuses a value that is not a whole number of minutes from 1 to a day', async () => {
    for (const value of ['0', '1.5', 'abc', '1441']) {
      const { io } = captureIo({ DOMO_CLIENT_ID: 'id', DOMO_CLIENT_SECRET: 'secret' });
      const error = await ingestCommand(['--lake', '/nonexistent/lake', '--max-read-minutes', value], {
        ...io,
        log: silentLog,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe(
        `--max-read-minutes "${value}" must be a whole number from 1 to 1440`,
      );
    }
  });

  it('is named by the line of a run whose read hit the ceiling, and only then', () => {
    const at = Date.parse('2026-10-01T05:00:00Z');
    const ceiling = {
      windowStartMs: at,
      message: `Domo took 30.2 min for 61 pages (61000 entries) of X without ending the range (ceiling 30 min ${READ_TIME_CEILING}, or the API is too slow or never ends its paging; nothing of it is written and the next run tries it again.`,
    };
    expect(ingestStoppedMessage([ceiling], 1, 0, 30)).toMatch(
      /run again to retry \(if Domo was answering, only slowly, a plain retry fails the same: run that hour again with a higher --max-read-minutes than the 30 given, e\.g\. 60\)$/,
    );
    expect(
      ingestStoppedMessage([{ windowStartMs: at, message: 'Domo answered 500.' }], 1, 0, 30),
    ).not.toContain('--max-read-minutes');
  });

  it('offers twice the ceiling given, not 120 whatever it was (review R-SECOND L4)', () => {
    const ceiling = {
      windowStartMs: Date.parse('2026-10-01T05:00:00Z'),
      message: `Domo took 181.3 min for 300 pages (300000 entries) of X without ending the range (ceiling 180 min ${READ_TIME_CEILING}, or the API is too slow.`,
    };
    expect(ingestStoppedMessage([ceiling], 1, 0, 180)).toContain('than the 180 given, e.g. 360)');
    expect(ingestStoppedMessage([ceiling], 1, 0, 1000)).toContain('than the 1000 given, e.g. 1440)');
    expect(ingestStoppedMessage([ceiling], 1, 0, 1440)).toMatch(
      /\(the ceiling given, 1440 minutes, is the highest --max-read-minutes takes: Domo is not serving that hour\)$/,
    );
  });

  it('says in its help that a read can run over by one page and its retries', () => {
    expect(ingestHelp.replace(/\s+/g, ' ')).toContain(
      'this long before it fails (default 30); looked at before each page, so a read can run over by one page and its retries',
    );
  });
});

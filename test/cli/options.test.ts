import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  optionValue,
  parseDuration,
  parseHourRange,
  parseInstant,
  parseMailAddress,
  parseMailAddressList,
  parseTimeZone,
  parseWholeNumber,
  readCategoryRulesFile,
} from '../../functions/cli/options.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';

describe('command-line values', () => {
  it('keeps the whole reason of a refused value, its line breaks escaped, not cut at the first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'options-'));
    const file = join(dir, 'rules.json');
    writeFileSync(file, 'hi\n');
    try {
      expect(() => readCategoryRulesFile(file)).toThrow(
        `--category-rules ${JSON.stringify(file)}: not valid JSON (Unexpected token 'h', "hi\\n" is not valid JSON)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Saved by a Windows editor, with a byte order mark: read as the --expected file is (review R-MUTE5 L7).
    const bom = join(dir, 'bom.json');
    mkdirSync(dir, { recursive: true });
    writeFileSync(bom, '\uFEFF[]');
    try {
      expect(() => readCategoryRulesFile(bom)).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const twoLines = () =>
      optionValue('--x', 'v', () => {
        throw new Error('first\r\nsecond');
      });
    expect(twoLines).toThrow(new UsageError('--x "v": first\\r\\nsecond'));
  });

  it('reads a time zone in the spelling the deployed settings take, and refuses unknown ones', () => {
    expect(parseTimeZone('--time-zone', 'europe/paris')).toBe('Europe/Paris');
    expect(parseTimeZone('--time-zone', 'US/Eastern')).toBe('America/New_York');
    expect(parseTimeZone('--time-zone', 'UTC')).toBe('UTC');
    expect(() => parseTimeZone('--doc-time-zone', 'Mars/Olympus')).toThrow(
      /^--doc-time-zone "Mars\/Olympus": time zone "Mars\/Olympus" is not a known IANA zone name/,
    );
    expect(() => parseTimeZone('--time-zone', '+01:00')).toThrow(UsageError);
  });

  it('refuses EST and MST, fixed offsets mostly written for local time, offering both meanings', () => {
    expect(() => parseTimeZone('--time-zone', 'est')).toThrow(
      '--time-zone "est": the zone is "est", a fixed UTC-05:00 with no daylight saving: for US Eastern time (with daylight saving) write "America/New_York"; for UTC-05:00 all year write "America/Panama"',
    );
    expect(() => parseTimeZone('--time-zone', 'MST')).toThrow(/write "America\/Denver"/);
    // Zones with daylight saving rules of their own are read as before: as Node 20's ICU names it,
    // or under its own name on Node 24, whose time zone data (2026e) keep it.
    expect(['America/New_York', 'EST5EDT']).toContain(parseTimeZone('--time-zone', 'EST5EDT'));
  });

  it('refuses Etc/GMT+5, whose POSIX sign makes it UTC-05:00, offering both offsets as city zones', () => {
    expect(() => parseTimeZone('--time-zone', 'Etc/GMT+5')).toThrow(
      new UsageError(
        '--time-zone "Etc/GMT+5": the zone is "Etc/GMT+5", a fixed UTC-05:00: POSIX inverts the sign, so it is 5 hours behind UTC; for a place write its city zone, which keeps the place\'s daylight saving; for UTC-05:00 all year write "America/Panama"; if UTC+05:00 was meant, "Asia/Tashkent"',
      ),
    );
    // Any letter case; an offset only one reading of which a place keeps offers that one.
    expect(() => parseTimeZone('--doc-time-zone', 'etc/gmt-1')).toThrow(
      /"etc\/gmt-1", a fixed UTC\+01:00: .* 1 hour ahead of UTC;/,
    );
    // No place keeps UTC-12:00 all year: its Etc name is the only way to write it, so it is taken.
    expect(parseTimeZone('--time-zone', 'Etc/GMT+12')).toBe('Etc/GMT+12');
    expect(() => parseTimeZone('--time-zone', 'Etc/GMT-14')).toThrow(
      /daylight saving; for UTC\+14:00 all year write "Pacific\/Kiritimati"$/,
    );
    // The Etc names of UTC itself are UTC.
    for (const zone of ['Etc/UTC', 'Etc/GMT', 'etc/gmt', 'Etc/GMT+0', 'Etc/GMT-0']) {
      expect(parseTimeZone('--time-zone', zone)).toBe('UTC');
    }
  });

  it('reads UTC instants as dates or zoned ISO times, and refuses zone-less ones', () => {
    expect(parseInstant('--from', '2026-10-01')).toBe(Date.parse('2026-10-01T00:00:00Z'));
    expect(parseInstant('--from', '2026-10-01T02:00:00+02:00')).toBe(Date.parse('2026-10-01T00:00:00Z'));
    expect(() => parseInstant('--from', '2026-10-01 00:00')).toThrow(UsageError);
    expect(() => parseInstant('--to', 'tomorrow')).toThrow(/--to "tomorrow" is not a valid UTC time/);
    expect(() => parseInstant('--from', '2026-02-30')).toThrow(/is not a valid UTC time/);
    expect(() => parseInstant('--from', '10/01/2026 00:00 Z')).toThrow(/is not a valid UTC time/);
    // Read as 2026-09-26T21:00Z before: an offset no clock shows is refused, saying which are.
    expect(() => parseInstant('--from', '2026-10-01T00:00:00+99:00')).toThrow(
      /is not a valid UTC time: .*, an offset \(if any\) with hours 00-23 and minutes 00-59$/,
    );
  });

  it('reads --from/--to as whole UTC hours, in order, together', () => {
    expect(parseHourRange(undefined, undefined)).toBeUndefined();
    expect(parseHourRange('2026-10-01', '2026-10-01T05:00:00Z')).toEqual({
      fromMs: Date.parse('2026-10-01T00:00:00Z'),
      toMs: Date.parse('2026-10-01T05:00:00Z'),
    });
    expect(() => parseHourRange('2026-10-01', undefined)).toThrow(/go together/);
    expect(() => parseHourRange('2026-10-01T00:30:00Z', '2026-10-02')).toThrow(/whole UTC hours/);
    expect(() => parseHourRange('2026-10-02', '2026-10-01')).toThrow(/--to must be after --from/);
  });

  it('reads durations and whole numbers', () => {
    expect(parseDuration('--max-duration', '90s')).toBe(90_000);
    expect(parseDuration('--max-duration', '10m')).toBe(600_000);
    expect(parseDuration('--max-duration', '2h')).toBe(7_200_000);
    expect(parseDuration('--max-duration', '30')).toBe(30_000);
    expect(() => parseDuration('--max-duration', 'soon')).toThrow(/duration like 90s/);
    expect(() => parseDuration('--max-duration', '0m')).toThrow(
      '--max-duration "0m" must be longer than 0, e.g. 10m',
    );
    expect(parseWholeNumber('--concurrency', undefined, 4)).toBe(4);
    expect(parseWholeNumber('--concurrency', '8', 4)).toBe(8);
    expect(() => parseWholeNumber('--concurrency', '-1', 4)).toThrow(/whole number/);
    expect(() => parseWholeNumber('--concurrency', '2.5', 4)).toThrow(/whole number/);
  });

  it('reads a mail address, bare or with a display name, and refuses anything else naming the flag', () => {
    expect(parseMailAddress('--mail-from', ' Audit <audit@example.com> ')).toBe('Audit <audit@example.com>');
    expect(() => parseMailAddress('--mail-from', 'audit')).toThrow(
      '--mail-from "audit": not an email address: write one such as security@example.com or "Security team <security@example.com>"',
    );
    expect(() => parseMailAddress('--mail-from', ' ')).toThrow(
      /^--mail-from " ": no address given: write one/,
    );
    expect(() => parseMailAddress('--mail-from', 'a@example.com, b@example.com')).toThrow(UsageError);
  });

  it('reads mail recipients from repeated values and comma-separated lists, refusing empty entries', () => {
    expect(
      parseMailAddressList('--mail-to', ['a@example.com', 'b@example.com, "Doe, Jane" <jane@example.com>']),
    ).toEqual(['a@example.com', 'b@example.com', '"Doe, Jane" <jane@example.com>']);
    for (const value of ['a@example.com,,b@example.com', 'a@example.com,', ',a@example.com', ' , ']) {
      expect(() => parseMailAddressList('--mail-to', [value]), value).toThrow(
        `--mail-to ${JSON.stringify(value)}: the list has an empty entry: separate the addresses with single commas, or repeat --mail-to`,
      );
    }
    expect(() => parseMailAddressList('--mail-to', ['a@example.com, jane doe@example.com'])).toThrow(
      '--mail-to "a@example.com, jane doe@example.com": "jane doe@example.com" is not an email address: write one such as',
    );
    expect(() => parseMailAddressList('--mail-to', ['ok@example.com', ''])).toThrow(
      /^--mail-to "": no address given/,
    );
    expect(() => parseMailAddressList('--mail-to', ['security'])).toThrow(UsageError);
  });
});

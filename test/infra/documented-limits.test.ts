import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseActivityLakeConfig } from '../../infra/config.ts';
import { TEST_NOW } from './synth-helpers.ts';

/**
 * Every numeric limit synth enforces, as docs/configuration.md ("Every setting … with its default
 * and limits") states it: each key is probed just outside and at both ends of its range, the range
 * its refusal names must be that one (a refusal saying "1 to 15" that then refuses 1 sent a user to
 * a second refusal), and the key's row of the table must give it.
 */
const LIMITS: readonly (readonly [key: string, min: number, max: number])[] = [
  ['ingest.settleMinutes', 0, 240],
  ['ingest.lookbackHours', 0, 48],
  ['ingest.repullAfterHours', 0, 168],
  ['ingest.backfillDays', 1, 366],
  ['ingest.concurrency', 1, 16],
  ['ingest.timeoutMinutes', 1, 15],
  ['ingest.memoryMb', 256, 10240],
  ['ingest.budgetMarginSeconds', 10, 300],
  ['report.timeoutMinutes', 2, 15],
  ['alerts.burstFailures', 2, 1000],
  ['alerts.burstMinutes', 1, 30],
  ['alerts.sprayUsers', 2, 1000],
  ['alerts.failuresBeforeLogin', 2, 1000],
  ['alerts.mailOlderThanHours', 1, 8784],
  ['alerts.historyDays', 1, 90],
  ['alerts.minHistoryLogins', 1, 10_000],
  ['alerts.maxSpeedKmh', 100, 20_000],
  ['alerts.timeoutMinutes', 2, 15],
  ['alerts.memoryMb', 128, 10240],
  ['alarms.lagHours', 2, 168],
  ['alarms.noSuccessfulRunHours', 1, 24],
  ['athena.bytesScannedCutoffMb', 10, 10_000_000],
  ['athena.dailyScanAlarmGb', 1, 1_000_000],
  ['retention.athenaResultsDays', 1, 365],
  ['retention.lockDays', 1, 36500],
  ['retention.noncurrentVersionDays', 1, 36500],
  ['retention.accessLogDays', 1, 36600],
  ['retention.infrequentAccessAfterDays', 30, 3650],
  ['retention.glacierInstantRetrievalAfterDays', 30, 3650],
];

/** What the report and the alerts need to be checked at all: enabled, with someone to reach. */
const SECTIONS: Record<string, Record<string, unknown>> = {
  report: { enabled: true, sender: 'reports@acme-co.com', recipients: ['a@acme-co.com'] },
  alerts: { enabled: true, email: ['sec@acme-co.com'] },
  alarms: { email: 'ops@acme-co.com' },
};

/** A config valid but for `fields` of `section`. */
const configWith = (section: string, fields: Record<string, unknown> = {}) => ({
  instances: [{ name: 'acme' }],
  alarms: { email: 'ops@acme-co.com' },
  [section]: { ...SECTIONS[section], ...fields },
});

/** Synth's refusals of `key` set to `value` (other keys' cross-checks may refuse it too: ignored). */
function refusals(key: string, value: unknown): string[] {
  const [section, name] = key.split('.') as [string, string];
  const raw = configWith(section, { [name]: value });
  try {
    parseActivityLakeConfig(raw, TEST_NOW);
    return [];
  } catch (error) {
    const prefix = `activityLake.${key}: `;
    return (error as Error).message
      .split('\n')
      .map((line) => line.replace(/^ {2}- /, ''))
      .filter((line) => line.startsWith(prefix))
      .map((line) => line.slice(prefix.length).replace(/ \(got .*\)$/, ''));
  }
}

/**
 * A refusal of the value itself (its type or range: `must be at least 2: why`), not of how it sits
 * with another key (`must be at least retention.lockDays (365)`, `… at least 30 days after …`).
 */
const rangeRefusal = (line: string): boolean => /^must be (a whole number|at least \d+:)/.test(line);

/** The value a key takes when cdk.json leaves it out; undefined when it is derived from others. */
function defaultOf(key: string): unknown {
  const [section, name] = key.split('.') as [string, string];
  const raw = configWith(section);
  const config = parseActivityLakeConfig(raw, TEST_NOW) as unknown as Record<string, Record<string, unknown>>;
  return config[section]?.[name];
}

const docs = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

/**
 * The table row that documents `key`: its first cell names it, alone (`alerts.memoryMb`) or after
 * its section's first key (`` `alerts.timeoutMinutes` / `memoryMb` ``).
 */
function docRow(key: string): string | undefined {
  const [section, name] = key.split('.') as [string, string];
  return docs.split('\n').find((line) => {
    const first = line.split('|')[1]?.trim() ?? '';
    return (
      first.startsWith(`\`${section}.`) && (first.includes(`\`${key}\``) || first.includes(`\`${name}\``))
    );
  });
}

/** `min–max` as the docs write it: plain, or with thousands separators. */
const spellings = (min: number, max: number): string[] => [
  `${min}–${max}`,
  `${min.toLocaleString('en-US')}–${max.toLocaleString('en-US')}`,
];

describe('the limits synth enforces are the ones it says and the docs give', () => {
  it.each(LIMITS)('%s: %d to %d', (key, min, max) => {
    expect(refusals(key, min).filter(rangeRefusal)).toEqual([]);
    expect(refusals(key, max).filter(rangeRefusal)).toEqual([]);
    const over = refusals(key, max + 1);
    expect(over).toEqual([
      expect.stringMatching(new RegExp(`^must be a whole number from ${min} to ${max}, `)),
    ]);
    expect(refusals(key, min - 1).filter(rangeRefusal)).toHaveLength(1);
    expect(refusals(key, 'x').filter(rangeRefusal)).toEqual(over);
    // The example offered is the default where there is one (not 1024 for a 512 MB default).
    const fallback = defaultOf(key);
    if (typeof fallback === 'number') expect(over[0]).toContain(`, for example ${fallback}`);
    const row = docRow(key);
    expect(row, `docs/configuration.md has no row for ${key}`).toBeDefined();
    expect(
      spellings(min, max).some((text) => row?.includes(text)),
      `${key}'s row: ${row}`,
    ).toBe(true);
  });

  it("retention.logDays: CloudWatch's values, each listed in the docs", () => {
    const [refusal] = refusals('retention.logDays', 2);
    const values = /retention values: ([\d, ]+)$/.exec(refusal ?? '')?.[1];
    expect(values).toMatch(/^1, 3, 5, 7, /);
    expect(refusals('retention.logDays', 3653)).toEqual([]);
    expect(docRow('retention.logDays')).toContain(values);
  });
});

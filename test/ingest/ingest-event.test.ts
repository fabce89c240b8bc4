import { describe, expect, it } from 'vitest';
import { assertRePullHours, readIngestEvent } from '../../functions/ingest/ingest-event.ts';

describe('readIngestEvent', () => {
  it("treats the schedule's event, and anything without rePull, as a checkpoint run", () => {
    expect(readIngestEvent({ source: 'schedule', instance: 'acme' })).toEqual({ mode: 'checkpoint' });
    expect(readIngestEvent({})).toEqual({ mode: 'checkpoint' });
    expect(readIngestEvent(undefined)).toEqual({ mode: 'checkpoint' });
  });

  it('reads a re-pull of whole hours', () => {
    expect(readIngestEvent({ rePull: { from: '2026-10-01T00:00:00Z', to: '2026-10-02T00:00:00Z' } })).toEqual(
      {
        mode: 'range',
        fromMs: Date.parse('2026-10-01T00:00:00Z'),
        toMs: Date.parse('2026-10-02T00:00:00Z'),
      },
    );
  });

  it('reads a restart of the digest chain asked for one run, scheduled or re-pull, and only as true', () => {
    expect(readIngestEvent({ restartDigestChain: true })).toEqual({
      mode: 'checkpoint',
      restartDigestChain: true,
    });
    const rePull = { from: '2026-10-01T00:00:00Z', to: '2026-10-02T00:00:00Z' };
    expect(readIngestEvent({ rePull, restartDigestChain: true })).toMatchObject({
      mode: 'range',
      restartDigestChain: true,
    });
    for (const value of ['true', 1, false, null])
      expect(() => readIngestEvent({ restartDigestChain: value })).toThrow(/restartDigestChain must be true/);
  });

  it('names the bad field and shows the expected shape', () => {
    expect(() => readIngestEvent({ rePull: { from: 'yesterday', to: '2026-10-02T00:00:00Z' } })).toThrow(
      /invalid re-pull request: rePull\.from "yesterday" is not a valid UTC time.*Expected \{"rePull":\{"from":"<ISO time>","to":"<ISO time>"\}\}/,
    );
    expect(() => readIngestEvent({ rePull: { from: '2026-10-01T00:00:00Z' } })).toThrow(/rePull\.to must be/);
    expect(() =>
      readIngestEvent({
        rePull: { from: '2026-10-01T00:00:00Z', to: '2026-10-02T00:00:00Z', instance: 'x' },
      }),
    ).toThrow(/rePull has unknown key\(s\) instance/);
  });

  it('reads each bound as the command line does: a zone, and no date rolled over', () => {
    const rePull = (from: string) => () => readIngestEvent({ rePull: { from, to: '2026-12-05T00:00:00Z' } });
    // Date.parse took each of these: 1 December, 1 March, and two zone-less times read in the function's zone.
    for (const from of [
      '2026-11-31T00:00:00Z',
      '2026-02-29T00:00:00Z',
      '2026-10-01 05:00',
      'Oct 1 2026 05:00',
      '1999-12-31T00:00:00Z', // outside the years the lake reads: the message names them
    ]) {
      expect(rePull(from)).toThrow(
        `invalid re-pull request: rePull.from ${JSON.stringify(from)} is not a valid UTC time: it must be an ISO 8601 time with a zone such as "2026-10-01T00:00:00Z" (or a date, midnight UTC), on a date that exists, in the years 2000-2099, an offset (if any) with hours 00-23 and minutes 00-59.`,
      );
    }
    expect(() =>
      readIngestEvent({ rePull: { from: '2026-10-01T00:00:00Z', to: '2026-10-01T05:00' } }),
    ).toThrow(/rePull\.to "2026-10-01T05:00" is not a valid UTC time/);
    expect(readIngestEvent({ rePull: { from: '2026-10-01T02:00:00+02:00', to: '2026-10-02' } })).toEqual({
      mode: 'range',
      fromMs: Date.parse('2026-10-01T00:00:00Z'),
      toMs: Date.parse('2026-10-02T00:00:00Z'),
    });
  });

  it("checks a re-pull's hours up front, worded with the event's field names", () => {
    const now = Date.parse('2026-10-10T00:30:00Z');
    const rePull = (from: string, to: string) => readIngestEvent({ rePull: { from, to } });
    const start = '2025-01-01';
    expect(() =>
      assertRePullHours(rePull('2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z'), now, 15, start),
    ).not.toThrow();
    expect(() => assertRePullHours({ mode: 'checkpoint' }, now, 15, start)).not.toThrow();
    expect(() =>
      assertRePullHours(rePull('2026-10-01T00:30:00Z', '2026-10-02T00:00:00Z'), now, 15, start),
    ).toThrow(
      /^invalid re-pull request: rePull\.from 2026-10-01T00:30:00\.000Z and rePull\.to 2026-10-02T00:00:00\.000Z must fall on whole UTC hours/,
    );
    expect(() =>
      assertRePullHours(rePull('2026-10-09T00:00:00Z', '2026-10-10T01:00:00Z'), now, 15, start),
    ).toThrow(/^invalid re-pull request: rePull\.to 2026-10-10T01:00:00\.000Z is not closed yet/);
  });

  it('refuses hours before lakeStartDate: Athena would never read them', () => {
    const now = Date.parse('2026-10-10T00:30:00Z');
    const rePull = readIngestEvent({ rePull: { from: '2026-06-30T23:00:00Z', to: '2026-07-02T00:00:00Z' } });
    expect(() => assertRePullHours(rePull, now, 15, '2026-07-01')).toThrow(
      'invalid re-pull request: rePull.from 2026-06-30T23:00:00.000Z is before lakeStartDate 2026-07-01, ' +
        'the first day the Athena tables read: the hours would be stored but no query would ever see them. ' +
        'Set lakeStartDate in cdk.json to 2026-06-30 or earlier and deploy first (moving it earlier is always safe).',
    );
    expect(() => assertRePullHours(rePull, now, 15, '2026-06-30')).not.toThrow();
    const fromTheFirstHour = readIngestEvent({
      rePull: { from: '2026-07-01T00:00:00Z', to: '2026-07-01T01:00:00Z' },
    });
    expect(() => assertRePullHours(fromTheFirstHour, now, 15, '2026-07-01')).not.toThrow();
  });

  // An hour the lake expired by retention.maxDays, re-pulled, would be stored again for maxDays
  // more (review R-PRIVACY H1).
  it('refuses hours older than retention.maxDays, naming the first it would take', () => {
    const now = Date.parse('2026-10-10T00:30:00Z');
    const rePull = readIngestEvent({ rePull: { from: '2026-10-01T00:00:00Z', to: '2026-10-02T00:00:00Z' } });
    expect(() => assertRePullHours(rePull, now, 15, '2025-01-01', 7)).toThrow(
      'invalid re-pull request: rePull.from 2026-10-01T00:00:00.000Z is older than retention.maxDays (7 days): ' +
        'the lake expires hours that old, and a re-pull would store them again for another 7 days. ' +
        'Re-pull from 2026-10-03T01:00:00.000Z or later.',
    );
    expect(() => assertRePullHours(rePull, now, 15, '2025-01-01', 10)).not.toThrow();
    expect(() => assertRePullHours(rePull, now, 15, '2025-01-01', null)).not.toThrow();
    const kept = readIngestEvent({ rePull: { from: '2026-10-03T01:00:00Z', to: '2026-10-04T00:00:00Z' } });
    expect(() => assertRePullHours(kept, now, 15, '2025-01-01', 7)).not.toThrow();
  });
});

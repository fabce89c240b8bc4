import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CREDENTIAL_REASON,
  normaliseWindow as normaliseServed,
} from '../../../functions/core/ingest/normalise-window.ts';
import { EVENT_COLUMNS } from '../../../functions/core/lake/event-record.ts';
import { normaliseContextFor } from '../../support/normalise-context.ts';

/** The entries as a source serves them (text = JSON.stringify); lossless texts are tested below. */
const normaliseWindow = (
  entries: readonly unknown[],
  ...rest: Parameters<typeof normaliseServed> extends [unknown, ...infer R] ? R : never
) =>
  normaliseServed(
    entries.map((value) => ({ value, text: JSON.stringify(value) ?? 'null' })),
    ...rest,
  );

const start = Date.parse('2026-10-01T10:00:00Z');
const window = { startMs: start, endMs: start + 3_600_000 };
const ctx = normaliseContextFor(window);

const documented = {
  actionType: 'VIEWED',
  actorId: 0,
  actorName: '',
  additionalComment: 'Leonard Euler viewed page Intro to Domo.',
  browserDetails: 'Mozilla/5.0',
  device: 'desktop',
  eventText: 'Viewed page',
  ipAddress: '50.207.241.61',
  objectId: '663909457',
  objectName: 'Intro to Domo',
  objectType: 'PAGE',
  time: '2026-10-01 10:57:35 AM',
  userId: '1619916076',
  userName: 'Leonard Euler',
  userType: 'USER',
  clientId: 'extra-field',
};

describe('normaliseWindow', () => {
  it('maps a documented entry onto every column of the event record', () => {
    const { records, quarantined } = normaliseWindow([documented], window, ctx);
    expect(quarantined).toEqual([]);
    const [record] = records;
    expect(Object.keys(record ?? {})).toEqual(EVENT_COLUMNS.map((c) => c.name));
    expect(record).toMatchObject({
      event_time: '2026-10-01 10:57:35.000',
      event_time_ms: Date.parse('2026-10-01T10:57:35Z'),
      time_raw: '2026-10-01 10:57:35 AM',
      action_type: 'VIEWED',
      object_id: '663909457',
      actor_id: '0',
      actor_type: null,
      category: 'other',
      window_start_ms: window.startMs,
      window_end_ms: window.endMs,
      ingested_at: ctx.ingestedAt,
      run_id: 'run-1',
    });
    expect(JSON.parse(record?.raw ?? '')).toEqual(documented);
    expect(record?.event_id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps identical twins as distinct events with stable ordinal ids', () => {
    const twin = { ...documented, time: start + 5 };
    const first = normaliseWindow([twin, twin, twin], window, ctx).records.map((r) => r.event_id);
    expect(new Set(first).size).toBe(3);
    expect(first[1]).toBe(`${first[0]}-1`);
    expect(first[2]).toBe(`${first[0]}-2`);
    // Key order does not change identity; a re-pull gives the same ids.
    const reordered = Object.fromEntries(Object.entries(twin).reverse());
    expect(normaliseWindow([reordered], window, ctx).records[0]?.event_id).toBe(first[0]);
  });

  it('quarantines what it cannot read, with the reason and the raw entry', () => {
    const bad = [{ ...documented, time: 'yesterday' }, 'not an object', { userId: '1' }];
    const { records, quarantined } = normaliseWindow(bad, window, ctx);
    expect(records).toEqual([]);
    expect(quarantined.map((q) => q.reason)).toEqual([
      expect.stringMatching(/matches no known format/),
      'entry is a string, expected a JSON object',
      'entry has no time field',
    ]);
    expect(quarantined[1]?.raw).toBe('"not an object"');
    expect(quarantined[0]?.window_start_ms).toBe(window.startMs);
  });

  it('leaves neighbouring hours to their own pull and quarantines times outside the request', () => {
    const atEnd = { ...documented, time: window.endMs };
    const justBefore = { ...documented, time: window.startMs - 1 };
    // Five hours early, as a zone-less string read in a wrong docTimeZone shows it.
    const farAway = { ...documented, time: '2026-10-01 05:00:00 AM' };
    const result = normaliseWindow([atEnd, justBefore, farAway], window, ctx);
    expect(result.records).toEqual([]);
    expect(result.neighbours).toBe(2);
    expect(result.outOfRange).toBe(1);
    expect(result.quarantined[0]?.reason).toMatch(/outside the requested range.*docTimeZone/);
  });

  it('tells neighbours from anomalies at exactly a second of slack on either side of the request', () => {
    // Whole-second strings, with a zone and without: the request is 09:59:59.999..11:00:00.000.
    const at = (time: string) => ({ ...documented, time });
    const result = normaliseWindow(
      [
        at('2026-10-01T09:59:59Z'),
        at('2026-10-01T11:00:01Z'),
        at('2026-10-01 09:59:58 AM'),
        at('2026-10-01T11:00:02+00:00'),
        at('2026-10-01T09:30:00Z'),
      ],
      window,
      ctx,
    );
    expect(result).toMatchObject({ records: [], neighbours: 2, outOfRange: 3 });
    expect(result.quarantined).toHaveLength(3);
  });

  it('gives a time of millisecond precision no slack: just outside the request, it is quarantined', () => {
    // No other hour's request returns such an entry: left to the neighbour, it was stored nowhere.
    const at = (time: number | string) => ({ ...documented, time });
    const { requestedStartMs, requestedEndMs } = ctx;
    const result = normaliseWindow(
      [
        at(requestedStartMs),
        at(requestedEndMs),
        at(requestedEndMs + 500),
        at(String(requestedStartMs - 1)),
        at('2026-10-01T11:00:00.500Z'),
        at('2026-10-01 09:59:59.998 AM'),
      ],
      window,
      ctx,
    );
    expect(result).toMatchObject({ records: [], neighbours: 2, outOfRange: 4 });
    expect(result.quarantined.map((q) => q.reason)).toEqual([
      expect.stringContaining('2026-10-01 11:00:00.500 UTC is outside the requested range'),
      expect.stringContaining('2026-10-01 09:59:59.998 UTC is outside the requested range'),
      expect.stringContaining('2026-10-01 11:00:00.500 UTC is outside the requested range'),
      expect.stringContaining('2026-10-01 09:59:59.998 UTC is outside the requested range'),
    ]);
  });

  it('keeps the slack of a fraction coarser than milliseconds: its unit', () => {
    const at = (time: string) => ({ ...documented, time });
    const result = normaliseWindow(
      [at('2026-10-01T11:00:00.1Z'), at('2026-10-01T11:00:00.2Z'), at('2026-10-01T11:00:00.01Z')],
      window,
      ctx,
    );
    expect(result).toMatchObject({ records: [], neighbours: 2, outOfRange: 1 });
  });

  it('names the time zone setting only for a time string without a zone of its own', () => {
    const at = (time: number | string) => ({ ...documented, time });
    const reasons = normaliseWindow(
      [at(window.startMs - 3_600_000), at('2026-10-01T09:00:00Z'), at('2026-10-01 09:00:00 AM')],
      window,
      ctx,
    ).quarantined.map((q) => q.reason);
    expect(reasons).toHaveLength(3);
    const [epoch, iso, zoneless] = reasons;
    for (const reason of [epoch, iso]) {
      expect(reason).toMatch(
        /^time 2026-10-01 09:00:00\.000 UTC is outside the requested range .* UTC: Domo returned an entry outside the range it was asked for$/,
      );
      expect(reason).not.toMatch(/docTimeZone|time zone/);
    }
    expect(zoneless).toMatch(
      /outside the requested range .*; if many entries say this, check the time zone for Domo's time strings \(docTimeZone, now UTC\)$/,
    );
  });

  it('categorises logins with the rules it was given', () => {
    const login = {
      ...documented,
      actionType: 'LOGIN_FAILED',
      eventText: 'Failed login attempt',
      time: start,
    };
    expect(normaliseWindow([login], window, ctx).records[0]?.category).toBe('login_failed');
  });

  it('reads a time from the repeated hour (clocks going back) as the reading inside the window', () => {
    const zone = { ...ctx, docTimeZone: 'America/New_York' };
    const entry = { ...documented, time: '2026-11-01 01:30:00 AM' };
    for (const startIso of ['2026-11-01T05:00:00Z', '2026-11-01T06:00:00Z']) {
      const startMs = Date.parse(startIso);
      const hour = { startMs, endMs: startMs + 3_600_000 };
      const result = normaliseWindow([entry], hour, {
        ...zone,
        requestedStartMs: startMs - 1,
        requestedEndMs: hour.endMs,
      });
      expect(result.quarantined).toEqual([]);
      expect(result.records[0]?.event_time_ms).toBe(startMs + 30 * 60_000);
    }
  });

  it('treats a second-precision time just before the request as a neighbour, not an anomaly', () => {
    // Domo's 10:59:59.999 reads as 10:59:59 in its documented form; the 11:00 window asked from 10:59:59.999.
    const next = { startMs: window.endMs, endMs: window.endMs + 3_600_000 };
    const entry = { ...documented, time: '2026-10-01 10:59:59 AM' };
    const result = normaliseWindow([entry], next, {
      ...ctx,
      requestedStartMs: next.startMs - 1,
      requestedEndMs: next.endMs,
    });
    expect(result).toMatchObject({ records: [], quarantined: [], outOfRange: 0, neighbours: 1 });
  });
});

describe('lossless raw', () => {
  const served = (text: string) => ({ value: JSON.parse(text) as unknown, text });

  /** The entries a lake written before lossless raw was built from, normalised in their hour. */
  const normaliseFixture = () => {
    const fixture = JSON.parse(
      readFileSync(new URL('./fixtures/event-ids-before-lossless-raw.json', import.meta.url), 'utf8'),
    ) as { windowStartMs: number; texts: string[]; eventIds: string[] };
    const hour = { startMs: fixture.windowStartMs, endMs: fixture.windowStartMs + 3_600_000 };
    const result = normaliseServed(fixture.texts.map(served), hour, {
      ...ctx,
      requestedStartMs: hour.startMs - 1,
      requestedEndMs: hour.endMs,
    });
    return { fixture, result };
  };

  it('keeps each entry exactly as served: big integers, duplicate keys, key order, spacing, escapes', () => {
    const { fixture, result } = normaliseFixture();
    expect([...result.records, ...result.quarantined].map((r) => r.raw).sort()).toEqual(
      [...fixture.texts].sort(),
    );
    expect(result.records[0]?.raw).toContain('12345678901234567890');
    // A key the lake reads given twice is quarantined (review R-DRIFT L2), its raw as served.
    expect(result.quarantined.map((q) => q.raw)).toEqual([fixture.texts[2]]);
    expect(result.quarantined[0]?.raw).toContain('"actionType":"LOGIN","actionType":"LOGIN_FAILED"');
  });

  it('derives typed columns from the text as served: ids beyond 2^53 keep every digit, ids stay put', () => {
    const texts = [
      `{"time":${start + 1000},"objectId":12345678901234567890,"userId":-9007199254740993,"actorId":1.5e300,"x":{"objectId":1}}`,
      `{"time":${start + 2000},"objectId":98765432109876543210,"userId":42}`,
    ];
    const { records, quarantined } = normaliseServed(texts.map(served), window, ctx);
    expect(quarantined).toEqual([]);
    expect(records.map((r) => [r.object_id, r.user_id, r.actor_id])).toEqual([
      ['12345678901234567890', '-9007199254740993', '1.5e300'],
      ['98765432109876543210', '42', null],
    ]);
    // The id reads the digits JSON.parse lost as served (review R-HOSTILE2 M2): not the id of the
    // parsed entry, which a text without them gets.
    expect(records[0]?.event_id).not.toBe(
      normaliseServed([{ value: JSON.parse(texts[0] as string), text: 'other text' }], window, ctx).records[0]
        ?.event_id,
    );
  });

  it('keeps the event ids a lake written before lossless raw holds (fixture from that normaliser)', () => {
    const { fixture, result } = normaliseFixture();
    const ids = result.records.map((r) => r.event_id);
    // But those of the two entries (one entry in two key orders: twins) holding 12345678901234567890,
    // which JSON.parse cannot hold: read as served since 2026-12-05 (review R-HOSTILE2 M2).
    // The entry giving actionType twice is quarantined now (review R-DRIFT L2), under the id it
    // was stored with: a stored event and its quarantine record name the same entry.
    expect(ids.slice(2)).toEqual(fixture.eventIds.slice(3));
    expect(result.quarantined.map((q) => q.quarantine_id)).toEqual([fixture.eventIds[2]]);
    expect(ids[0]).not.toBe(fixture.eventIds[0]);
    expect(ids[1]).toBe(`${ids[0]}-1`);
  });

  it('quarantines an entry as served, and one too deep to canonicalise with its reason', () => {
    let deep: unknown = [];
    for (let i = 0; i < 5_000; i++) deep = [deep];
    const deepEntry = { value: { time: start + 1, actionType: 'X', extra: deep }, text: '{"time":…deep…}' };
    const bad = '{"time":"yesterday-ish","actionType":"VIEWED","n":1.50}';
    const result = normaliseServed([served(bad), deepEntry], window, ctx);
    expect(result.records).toHaveLength(0);
    expect(result.quarantined.map((q) => q.raw).sort()).toEqual([bad, deepEntry.text].sort());
    const deepOne = result.quarantined.find((q) => q.raw === deepEntry.text);
    expect(deepOne?.reason).toMatch(/^entry is nested more than \d+ levels deep/);
    expect(deepOne?.quarantine_id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('quarantines an entry that held the client credential where it would have been stored, raw as scrubbed (review 36c, item 5)', () => {
    // The client scrubbed text and value and flagged the entry; the normaliser judges it last.
    const held = (value: Record<string, unknown>) => ({
      value,
      text: JSON.stringify(value),
      credential: true as const,
    });
    const echoed = { ...documented, additionalComment: 'debug: Basic [redacted]' };
    const result = normaliseServed(
      [
        held(echoed),
        held(echoed),
        held({ ...echoed, time: window.endMs }),
        held({ ...echoed, time: 'soon' }),
        { value: documented, text: JSON.stringify(documented) },
      ],
      window,
      ctx,
    );
    expect(result.records).toHaveLength(1);
    expect(result.neighbours).toBe(1);
    expect(result.quarantined.map((q) => q.reason)).toEqual([
      CREDENTIAL_REASON,
      CREDENTIAL_REASON,
      expect.stringMatching(/^time "soon" matches no known format/),
    ]);
    expect(result.quarantined[0]?.raw).toBe(JSON.stringify(echoed));
    // Twins keep distinct ids, as any quarantined twins do.
    expect(result.quarantined[1]?.quarantine_id).toBe(`${result.quarantined[0]?.quarantine_id}-1`);
  });
});

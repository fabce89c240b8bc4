import { describe, expect, it } from 'vitest';
import { isWholeAsSent, isWholeLiteral, timeLiteral } from '../../../functions/core/domo/time-literal.ts';
import { normaliseWindow } from '../../../functions/core/ingest/normalise-window.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { normaliseContextFor } from '../../support/normalise-context.ts';

const hour = Date.parse('2026-12-05T10:00:00Z');
const window = { startMs: hour, endMs: hour + HOUR_MS };
/** Entries as served: their text byte for byte, parsed as the client parses it. */
const served = (...texts: string[]) => texts.map((text) => ({ value: JSON.parse(text) as unknown, text }));
const normalise = (...texts: string[]) =>
  normaliseWindow(served(...texts), window, normaliseContextFor(window));
const at = hour + 60_000;

describe('an entry that gives a key the lake reads twice (review R-DRIFT L2)', () => {
  it('is quarantined, naming the key, not stored with the last value', () => {
    const out = normalise(
      `{"time":${at},"actionType":"VIEWED","userId":"162017","userId":"999"}`,
      `{"time":1,"time":${at},"actionType":"VIEWED","userId":"162017"}`,
    );
    expect(out.records).toEqual([]);
    expect(out.quarantined.map((q) => q.reason)).toEqual([
      'entry gives userId more than once: which value is meant cannot be told (this reader keeps the last, others the first)',
      'entry gives time more than once: which value is meant cannot be told (this reader keeps the last, others the first)',
    ]);
  });

  it('is quarantined when whitespace or a quoted colon sits between a name and its colon', () => {
    const out = normalise(
      `{ "time" : ${at} , "actionType" :\t"VIEWED", "userId"\n: "1", "userId" : "2" }`,
      `{"time":${at},"actionType":"VIEWED","eventText":"say \\":\\"","userId":"1","userId":"2"}`,
    );
    expect(out.records).toEqual([]);
    expect(out.quarantined.map((q) => q.reason.slice(0, 24))).toEqual([
      'entry gives userId more ',
      'entry gives userId more ',
    ]);
  });

  it('is stored when the key repeated is one no column reads, or a colon sits in a value', () => {
    const out = normalise(
      `{"time":${at},"actionType":"VIEWED","userId":"1","extra":1,"extra":2}`,
      `{"time":${at},"actionType":"VIEWED","userId":"2","eventText":"a: b: c","meta":{"userId":"3"}}`,
    );
    expect(out.quarantined).toEqual([]);
    expect(out.records.map((r) => r.user_id)).toEqual(['1', '2']);
  });
});

describe('a number time judged on its literal as sent (review R-DRIFT L3)', () => {
  it('quarantines a fraction JSON.parse rounds away, as one it keeps', () => {
    const out = normalise(`{"time":${at}.0000000000001,"actionType":"VIEWED","userId":"1"}`);
    expect(out.records).toEqual([]);
    expect(out.quarantined.map((q) => q.reason)).toEqual([
      `time number ${at}.0000000000001 is not whole epoch ms`,
    ]);
  });

  it('stores a whole number however written, time_raw in plain digits', () => {
    const out = normalise(
      `{"time":${at}.000,"actionType":"VIEWED","userId":"1"}`,
      `{"time": ${at / 1000}e3 ,"actionType":"VIEWED","userId":"2"}`,
      `{"meta":{"time":${at}.5},"time":${at},"actionType":"VIEWED","userId":"3"}`,
    );
    expect(out.quarantined).toEqual([]);
    expect(out.records.map((r) => r.time_raw)).toEqual([String(at), String(at), String(at)]);
  });

  it('reads the literal of the top-level time, past a nested one', () => {
    expect(timeLiteral(`{"meta":{"time":${at}},"time":${at}.25}`, at)).toBe(`${at}.25`);
    expect(timeLiteral(`{"eventText":"\\"time\\":${at}.5","time":${at}}`, at)).toBe(String(at));
    expect(timeLiteral(`{"overtime":"x","time":${at}.0000000000001}`, at)).toBe(`${at}.0000000000001`);
    expect(timeLiteral(`{"time" : ${at}.0000000000001}`, at)).toBe(`${at}.0000000000001`);
    expect(timeLiteral(`{"a":"time","b":"ptime\\"","time":${at}}`, at)).toBe(String(at));
    expect(isWholeLiteral('1.796464829e12')).toBe(true);
    expect(isWholeLiteral('1.7964648290001e12')).toBe(false);
    expect(isWholeLiteral('0.0')).toBe(true);
    expect(isWholeLiteral('5e-1')).toBe(false);
  });

  it('tells a whole literal without reading it the same as from its literal', () => {
    const texts = [
      `{"time":${at}}`,
      `{"time" :\t${at} }`,
      `{"time":${at}.0000000000001}`,
      `{"time":${at}.000}`,
      `{"time":${at / 1000}e3}`,
      `{"meta":{"time":${at}},"time":${at}.25}`,
      `{"time":${at},"time":${at}.5}`,
      `{"time":${at}.5,"time":${at}}`,
      '{"time":12345678901234567}',
      '{"time":-0}',
      '{"overtime":1,"time":7}',
    ];
    for (const text of texts) {
      const time = JSON.parse(text).time as number;
      expect([text, isWholeAsSent(text, time)]).toEqual([text, isWholeLiteral(timeLiteral(text, time))]);
    }
  });
});

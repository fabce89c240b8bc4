import { describe, expect, it } from 'vitest';
import { type Alert, alertId } from '../../../functions/core/alerts/alert.ts';
import { digQuery, SPRAY_TEXTS_LEFT_OUT } from '../../../functions/core/alerts/dig-further.ts';
import { addressKey } from '../../../functions/core/alerts/ip-network.ts';
import { lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { event } from '../../queries/support/lake-fixture.ts';
import { trino } from '../../support/trino-grammar.ts';
import { digRowsOnDuckDb } from './support/dig-on-duckdb.ts';

/** What Athena's StartQueryExecution takes at most. */
const ATHENA_QUERY_BYTES = 262_144;

const MS = Date.parse('2026-10-05T10:30:00Z');

/** A spray's alert that kept `texts` (all of one key), newest first. */
const spray = (i: number, texts: string[]): Alert => ({
  id: alertId('default', 'password_spray', [`s${i}`]),
  instance: 'default',
  kind: 'password_spray',
  user_id: null,
  user_name: null,
  event_time: lakeTimestamp(MS),
  event_time_ms: MS,
  evidence: 'failed logins of 10 users',
  ip_address: texts[0] ?? null,
  event_ids: [`s${i}`],
  ip_addresses: texts,
});

/** 30 sprays of 20 texts each, text `j` of spray `i` as `text(i, j)`. */
const sprays = (text: (i: number, j: number) => string) =>
  Array.from({ length: 30 }, (_, i) =>
    spray(
      i,
      Array.from({ length: 20 }, (_, j) => text(i, j)),
    ),
  );

/** Keyed by the whole text: `u.7` between tabs, as many as 90 in all (with no dot, no address). */
const wholeText = (i: number, j: number) => `${'\t'.repeat(j)}U.${i}${'\t'.repeat(90 - j)}`;
/** Keyed by a forged public first entry, a new one for each spray, then tabs. */
const forged = (i: number, j: number) => `1.1.1.${i + 1},${'\t'.repeat(70 + j)}`;

const bytes = (text: string) => new TextEncoder().encode(text).length;

describe("the query to dig further lists sprays' texts within bounds", () => {
  it('lists no text a pattern finds: 30 sprays by a forged first entry', async () => {
    const alerts = sprays(forged);
    expect(new Set(alerts.map((a) => addressKey(a.ip_address))).size).toBe(30);
    const query = digQuery('default', alerts);
    expect(query).not.toContain('ip_address IN');
    expect(query).not.toContain('chr(9)');
    expect(query.split('\n')[0]).not.toBe(SPRAY_TEXTS_LEFT_OUT);
    expect(bytes(query)).toBeLessThan(16_384);
    expect(trino.validate(query)).toEqual([]);
    // Each spray's texts, kept or not, by its pattern; not a neighbour's address.
    const rows = await digRowsOnDuckDb(query, [
      ...alerts.map((_, i) =>
        event('2026-10-05 10:20:00', { ip_address: forged(i, 25), event_text: `spray ${i}` }),
      ),
      event('2026-10-05 10:21:00', { ip_address: '1.1.1.31,\t', event_text: 'not a spray' }),
    ]);
    expect(rows.map((r) => r.event_text)).toEqual(alerts.map((_, i) => `spray ${i}`));
  });

  it("keeps the list of 30 sprays keyed by whole text under Athena's limit and says it cut", () => {
    const alerts = sprays(wholeText);
    expect(new Set(alerts.map((a) => addressKey(a.ip_address))).size).toBe(30);
    const query = digQuery('default', alerts);
    expect(bytes(query)).toBeLessThan(ATHENA_QUERY_BYTES);
    expect(bytes(query)).toBeLessThan(80_000);
    expect(query.split('\n')[0]).toBe(SPRAY_TEXTS_LEFT_OUT);
    // The newest texts of the first sprays are listed, in the list the few sprays' test runs.
    expect(query).toContain(digQuery('default', alerts.slice(0, 1)).match(/ip_address IN \([^)]*\)/)?.[0]);
  });

  it("keeps 400 sprays' IPv6 patterns under Athena's limit, listing the texts of those cut", async () => {
    // Each from a /64 of its own with three zero groups, the longest pattern (~800 characters).
    const g0 = (i: number) => (0x2000 + i).toString(16);
    // One text each: its alert then keeps no list of texts.
    const alerts = Array.from({ length: 400 }, (_, i) => {
      const { ip_addresses: _texts, ...alert } = spray(i, [`${g0(i)}::${i + 1}`]);
      return alert;
    });
    const query = digQuery('default', alerts);
    expect(bytes(query)).toBeLessThan(ATHENA_QUERY_BYTES);
    expect(query.split('\n')[0]).toBe(SPRAY_TEXTS_LEFT_OUT);
    const rows = await digRowsOnDuckDb(query, [
      // The first spray's pattern is there: any address of its /64.
      event('2026-10-05 10:20:00', { ip_address: '[2000:0::abc]:443', event_text: 'first spray' }),
      // The last one's is not, but its raising text is listed.
      event('2026-10-05 10:21:00', { ip_address: `${g0(399)}::400`, event_text: 'last spray' }),
      event('2026-10-05 10:22:00', { ip_address: `${g0(399)}::401`, event_text: 'not listed' }),
    ]);
    expect(rows.map((r) => r.event_text)).toEqual(['first spray', 'last spray']);
  });

  it('lists every text of a few sprays keyed by whole text, with no note, each matched exactly', async () => {
    // Fewer tabs than the 30 sprays' texts: the same shape, quicker for Trino's parser to read.
    const lightText = (i: number, j: number) => `${'\t'.repeat(j)}U${i}\t`;
    const alerts = sprays(lightText).slice(0, 2);
    const query = digQuery('default', alerts);
    expect(query.split('\n')[0]).not.toBe(SPRAY_TEXTS_LEFT_OUT);
    expect(query.match(/U[01]/g)).toHaveLength(40);
    // A text is matched exactly, not trimmed.
    const rows = await digRowsOnDuckDb(query, [
      event('2026-10-05 10:20:00', { ip_address: lightText(0, 0), event_text: 'listed' }),
      event('2026-10-05 10:21:00', { ip_address: lightText(1, 19), event_text: 'listed too' }),
      event('2026-10-05 10:22:00', { ip_address: 'U0', event_text: 'another text' }),
    ]);
    expect(rows.map((r) => r.event_text)).toEqual(['listed', 'listed too']);
    // Trino's grammar on this list of `chr(9)` spellings, also under the cut list's note line: the
    // cut list itself (63 KB, ~6,000 `chr(9)`) is the same shape, but takes its parser 12 s to read.
    expect(trino.validate(query)).toEqual([]);
    expect(trino.validate(`${SPRAY_TEXTS_LEFT_OUT}\n${query}`)).toEqual([]);
  });
});

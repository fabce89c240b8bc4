/**
 * When the HTML would be over the size Gmail clips at, the lists are shortened; the operator is
 * told so in a warning naming the caps the mail was made with (the archived JSON keeps every row).
 * A report that fits logs no such warning.
 */
import { describe, expect, it } from 'vitest';
import { RENDER_LIMITS } from '../../../functions/core/mail/render-limits.ts';
import type { LogFields, Mailer, MailMessage } from '../../../functions/core/ports.ts';
import { sendWeeklyReport } from '../../../functions/core/report/send-weekly-report.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { CONTRACT_ROWS, FakeEngine } from './fake-engine.ts';

const NOW = Date.parse('2026-11-23T07:00:00Z');
const config = { instance: 'acme', timeZone: 'UTC', from: 'r@example.com', to: ['s@example.com'] };
const SHORTENED = 'report lists shortened to keep the HTML under the size Gmail clips at';

const mailer: Mailer = { send: async (_: MailMessage) => ({ messageId: 'm1' }) };

/** The warnings logged while sending the report that `engine` answers for. */
async function warningsFor(engine: FakeEngine): Promise<[string, LogFields | undefined][]> {
  const warnings: [string, LogFields | undefined][] = [];
  const log = {
    debug() {},
    info() {},
    warn: (m: string, f?: LogFields) => warnings.push([m, f]),
    error() {},
  };
  await sendWeeklyReport(
    { engine, store: new MemoryObjectStore(), mailer, clock: { now: () => NOW }, log },
    config,
  );
  return warnings;
}

/** Quotes escape to six bytes each: 40 rows of them per list is far over the HTML budget. */
const heavy = '"'.repeat(600);
const heavyRows = (name: string, rows = 40) =>
  Array.from({ length: rows }, () => {
    const row = { ...(CONTRACT_ROWS[name]?.[0] ?? {}) };
    for (const column of Object.keys(row)) {
      if (/(_id|_name|evidence|network|ip_address|org)$/.test(column)) row[column] = heavy;
    }
    return row;
  });
const heavyEngine = () =>
  new FakeEngine({
    ...CONTRACT_ROWS,
    suspicious_logins: heavyRows('suspicious_logins'),
    failed_logins_and_lockouts: heavyRows('failed_logins_and_lockouts'),
    most_active_users: heavyRows('most_active_users', 10),
    trending_cards: heavyRows('trending_cards', 10),
    popular_pages: heavyRows('popular_pages', 10),
  });

describe('sending a report whose lists had to be shortened', () => {
  it('warns with the caps the mail was made with', async () => {
    const warnings = (await warningsFor(heavyEngine())).filter(([m]) => m === SHORTENED);
    expect(warnings).toHaveLength(1);
    const fields = warnings[0]?.[1] ?? {};
    expect(fields).toMatchObject({ instance: 'acme', isoWeek: '2026-W47' });
    expect(fields.htmlBytes).toBeLessThanOrEqual(100_000);
    expect(fields.failedLogins).toBeLessThan(RENDER_LIMITS.failedLogins);
    expect(fields.suspiciousLogins).toBeLessThan(RENDER_LIMITS.suspiciousLogins);
    expect(fields.topList).toBeLessThan(RENDER_LIMITS.topList);
  });

  it('does not warn when the report fits', async () => {
    expect((await warningsFor(new FakeEngine())).map(([m]) => m)).not.toContain(SHORTENED);
  });
});

/**
 * The text part's command to dig into a user, on shell lines of at most 72 columns (review R-CISO
 * L5): one line of 214 columns was wrapped anywhere by plain-text clients, and a command copied
 * across such a break fails.
 */
import { describe, expect, it } from 'vitest';
import { digLines } from '../../../functions/core/report/text-dig-line.ts';

const command =
  "node /home/ops/domo-activity-lake/bin/domo-activity-lake.js query user_activity --lake '/data/my --lake' --instance main --from 2026-11-23T00:00+01:00 --to 2026-11-30T00:00+01:00 --time-zone Europe/Berlin --param user_id=1333418418";

describe('the text part dig command', () => {
  it('breaks between words, an option with its value, each line at most 72 columns, joined by backslashes', () => {
    const lines = digLines({ sentence: 'Everything a user did this week:', command });
    const shell = lines.slice(lines.findIndex((l) => l.startsWith('  node ')));
    expect(shell.length).toBeGreaterThan(1);
    for (const line of shell) expect(line.length).toBeLessThanOrEqual(72);
    for (const line of shell.slice(0, -1)) expect(line).toMatch(/ \\$/);
    expect(shell.at(-1)).not.toMatch(/\\$/);
    // Rejoined as a shell joins continued lines, it is the command; the quoted ` --` stays whole.
    const joined = shell.map((l) => l.replace(/ \\$/, '').trim()).join(' ');
    expect(joined).toBe(command);
    expect(shell.some((l) => l.includes("'/data/my --lake'"))).toBe(true);
  });

  it('keeps a short command on one line', () => {
    const lines = digLines({ sentence: 'Run:', command: 'npx --no domo-activity-lake query x' });
    expect(lines.at(-1)).toBe('  npx --no domo-activity-lake query x');
  });
});

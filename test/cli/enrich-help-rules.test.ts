/**
 * The enrich help after lookup rules were named in geo_db_version (`+rules@N`): a plain enrich
 * places again what older rules placed, so --force is not what a change of rules needs (docs/upgrading.md,
 * "Upgrading to lookup rules 2"), and every line still fits 80 columns.
 */
import { describe, expect, it } from 'vitest';
import { enrichHelp } from '../../functions/cli/commands/enrich.ts';

describe('enrich --help on lookup rules', () => {
  const flat = enrichHelp.replace(/\s+/g, ' ');

  it('says a plain enrich places again what older rules placed', () => {
    expect(flat).toContain('+rules@N: records placed by older rules are placed again');
  });

  it('does not send a change of rules to --force', () => {
    expect(flat).not.toMatch(/after a change to how addresses are placed/);
    expect(flat).toContain('a record placed by a newer database or newer rules');
  });

  it('fits 80 columns', () => {
    for (const line of enrichHelp.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });
});

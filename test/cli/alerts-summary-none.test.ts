import { describe, expect, it } from 'vitest';
import { describeLocalAlerts, type LocalAlerts } from '../../functions/cli/commands/alerts.ts';

describe("the demo's alerts summary without any alert", () => {
  it('says none rather than 0', () => {
    const result = { summary: { raised: [] } } as unknown as LocalAlerts;
    expect(describeLocalAlerts(result, 'UTC', Date.parse('2026-11-02T00:00:00Z'))).toBe(
      'alerts since 2026-11-02 00:00 UTC: none',
    );
  });
});

/**
 * Review R-ALERTS L5: where the clocks go back, two alerts an hour apart read the same local time
 * (01:30 twice in America/New_York on 2026-11-01). Each alert's time carries its UTC offset, in the
 * text and the HTML, and so does a burst's span when both its ends share one; UTC shows none.
 */
import { describe, expect, it } from 'vitest';
import { detectFailedLoginBursts } from '../../../functions/core/alerts/detect-failed-logins.ts';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { alertOf, record, settings } from './support/alert-fixtures.ts';

const EDT = Date.parse('2026-11-01T05:30:00Z');
const EST = Date.parse('2026-11-01T06:30:00Z');

function message(timeZone: string) {
  const first = alertOf({ id: 'a'.repeat(32), event_time_ms: EDT, user_name: 'First' });
  const second = alertOf({ id: 'b'.repeat(32), event_time_ms: EST, user_name: 'Second' });
  return renderAlertMessage([first, second], {
    instance: 'main',
    timeZone,
    nowMs: EST + HOUR_MS,
    mailOlderThanHours: 24,
    historyDays: 30,
  });
}

describe('alert times at a clock change', () => {
  it('tells apart two alerts an hour apart in the repeated hour, in the text and the HTML', () => {
    const { text, html } = message('America/New_York');
    expect(text).toContain('2026-11-01 01:30 -05:00  lockout: Second (u1)');
    expect(text).toContain('2026-11-01 01:30 -04:00  lockout: First (u1)');
    expect(html).toContain(
      'lockout</b> &middot; <span style="white-space:nowrap">2026-11-01 01:30 -05:00</span>\n<br>',
    );
    expect(html).toContain(
      'lockout</b> &middot; <span style="white-space:nowrap">2026-11-01 01:30 -04:00</span>\n<br>',
    );
  });

  it('shows no offset in UTC, which names its own', () => {
    const { text } = message('UTC');
    expect(text).toContain('2026-11-01 06:30  lockout: Second (u1)');
    expect(text).toContain('2026-11-01 05:30  lockout: First (u1)');
  });

  it("gives a burst's span within the repeated hour its offset", () => {
    const failures = [0, 1, 2, 3, 4].map((m) =>
      record({ event_time_ms: EST - 10 * 60_000 + m * 60_000, category: 'login_failed' }),
    );
    const [burst] = detectFailedLoginBursts({
      instance: 'acme',
      fromMs: Date.parse('2026-11-01T06:00:00Z'),
      toMs: Date.parse('2026-11-01T07:00:00Z'),
      events: failures,
      before: [],
      profile: new LoginProfile('acme', 'America/New_York'),
      settings: settings({ timeZone: 'America/New_York' }),
    });
    expect(burst?.evidence).toBe(
      '5 failed logins within 10 minutes (01:20 to 01:24 -05:00 America/New_York) from IP 10.0.0.5',
    );
  });
});

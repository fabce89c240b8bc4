import { beforeAll, describe, expect, it } from 'vitest';
import { renderAlertMessage } from '../../functions/core/alerts/render-alerts.ts';
import { CHROMIUM, probeInChromium } from '../support/chromium-layout.ts';
import { missingToolTest } from '../support/missing-tool.ts';
import { alertOf } from './alerts/support/alert-fixtures.ts';

/**
 * The alert id in the alerts mail at 12 px (review R-A11Y L7; it was 11 px to stay on the IP's line
 * on a phone, review R-PHONE L5): beside a short IP it keeps that line, beside a long one it goes to
 * the next whole, never split mid-id nor widening the page, at a phone's width and a desktop's.
 */
interface IdReading {
  scrollWidth: number;
  /** Each id's font size and how many lines it takes. */
  ids: { size: string; lines: number }[];
}

const READ_IDS = `(doc) => ({
  scrollWidth: doc.documentElement.scrollWidth,
  ids: [...doc.querySelectorAll('span')]
    .filter((s) => /^alert\\u00a0[0-9a-f]{32}$/.test(s.textContent))
    .map((s) => ({ size: doc.defaultView.getComputedStyle(s).fontSize, lines: s.getClientRects().length })),
})`;

const NOW = Date.parse('2026-11-18T15:00:00Z');
const IPS = ['3.76.228.63', '193.36.127.189', '2a01:4f8:c17:1a2b:3c4d:5e6f:7a8b:9c0d'];
const WIDTHS = [320, 375, 900] as const;

describe('the alert id in the alerts mail', () => {
  if (!CHROMIUM) {
    missingToolTest('chromium', 'the alert id of the alerts mail on a phone');
    return;
  }

  let readings: IdReading[];
  beforeAll(async () => {
    const alerts = IPS.map((ip_address, i) =>
      alertOf({
        id: `${i}${'5e6f7a8b9c0d1e2f'.repeat(2)}`.slice(0, 32),
        ip_address,
        event_time_ms: NOW - (i + 1) * 60_000,
      }),
    );
    const { html } = renderAlertMessage(alerts, {
      instance: 'acme',
      timeZone: 'UTC',
      nowMs: NOW,
      mailOlderThanHours: 24,
    });
    readings = await probeInChromium<IdReading>(
      WIDTHS.map((width) => ({ html, width })),
      READ_IDS,
    );
  }, 120_000);

  it.each(WIDTHS.map((width, i) => [width, i] as const))(
    'is 12 px and whole on one line at %i px',
    (width, i) => {
      const reading = readings[i];
      expect(reading?.scrollWidth).toBeLessThanOrEqual(width);
      expect(reading?.ids).toEqual(IPS.map(() => ({ size: '12px', lines: 1 })));
    },
  );
});

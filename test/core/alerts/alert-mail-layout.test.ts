import { beforeAll, describe, expect, it } from 'vitest';
import { ALERT_KINDS, type Alert, alertId } from '../../../functions/core/alerts/alert.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { CHROMIUM, type Measure, measureInChromium } from '../../support/chromium-layout.ts';
import { missingToolTest } from '../../support/missing-tool.ts';

/**
 * The alert mail as a person sees it: in headless Chromium at a phone's width and a desktop's,
 * with the longest unbroken strings Domo could send in every cell and the query to copy.
 */
const NOW = Date.parse('2026-11-18T15:00:00Z');
const WIDTHS = [375, 900] as const;
const unbroken = 'x'.repeat(120);

function longAlerts(): Alert[] {
  return ALERT_KINDS.map((kind, i) => {
    const eventMs = NOW - (i + 1) * 10 * 60_000;
    return {
      id: alertId('acme', kind, [String(eventMs)]),
      instance: 'acme',
      kind,
      user_id: `${i}${'9'.repeat(60)}`,
      user_name: unbroken,
      event_time: lakeTimestamp(eventMs),
      event_time_ms: eventMs,
      evidence: `from IP 2001:0db8:85a3:0000:0000:8a2e:0370:7334 and ${unbroken}`,
      ip_address: '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
      event_ids: [unbroken],
    };
  });
}

describe('the alert mail in a browser', () => {
  if (!CHROMIUM) {
    missingToolTest('chromium', 'the alert mail layout');
    return;
  }

  let measures: Measure[];
  beforeAll(async () => {
    const options = { instance: 'acme', timeZone: 'America/New_York', nowMs: NOW, mailOlderThanHours: 24 };
    const { html } = renderAlertMessage(longAlerts(), options);
    measures = await measureInChromium(WIDTHS.map((width) => ({ html, width })));
  }, 180_000);

  it.each(WIDTHS.map((width, i) => [width, i] as const))(
    'fits a %i px wide window without scrolling sideways, long Domo strings included',
    (width, i) => {
      expect(measures[i]?.viewport).toBe(width);
      expect(measures[i]?.scrollWidth).toBeLessThanOrEqual(width);
    },
  );
});

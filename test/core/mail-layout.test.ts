import { beforeAll, describe, expect, it } from 'vitest';
import { ALERT_KINDS, type Alert, alertId } from '../../functions/core/alerts/alert.ts';
import { renderAlertMessage } from '../../functions/core/alerts/render-alerts.ts';
import { lakeTimestamp } from '../../functions/core/lake/layout.ts';
import { renderReport } from '../../functions/core/report/render-report.ts';
import { CHROMIUM, type Measure, measureInChromium } from '../support/chromium-layout.ts';
import { missingToolTest } from '../support/missing-tool.ts';
import { sampleModel } from './report/model-fixture.ts';

/**
 * The mails as a person sees them: the weekly report and the alert mail in headless Chromium at a
 * phone's width and a desktop's, with the longest unbroken strings Domo could send in them. All
 * pages load in one Chromium run (a launch costs ~2.5 s of CPU). Without Chromium a local run
 * says so loudly; in CI (CI set) a missing Chromium fails.
 */
const WIDTHS = [375, 900] as const;
const unbroken = 'x'.repeat(120);

/** A week with the longest strings Domo could send: nothing in it may widen the page. */
function longStringModel() {
  const base = sampleModel();
  return sampleModel({
    suspiciousLogins: base.suspiciousLogins.map((s) => ({
      ...s,
      evidence: `first seen ${unbroken}`,
      userName: unbroken,
    })),
    failedLogins: base.failedLogins.map((f) => ({ ...f, userName: unbroken })),
    topCards: base.topCards.map((c) => ({ ...c, cardName: unbroken })),
    notes: [`A note with ${unbroken}`],
    // The sentence on the security alerts, under the suspicious logins, must wrap too.
    securityAlerts: { historyDays: 30 },
  });
}

const ALERTS_NOW = Date.parse('2026-11-18T15:00:00Z');

/** One alert of every kind, each with the longest strings in every cell and the query to copy. */
function longAlerts(): Alert[] {
  return ALERT_KINDS.map((kind, i) => {
    const eventMs = ALERTS_NOW - (i + 1) * 10 * 60_000;
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

describe('the mails in a browser', () => {
  if (!CHROMIUM) {
    missingToolTest('chromium', 'the layout of the report and alert mails');
    return;
  }

  let report: { long: Measure[]; sample: Measure[] };
  let alert: Measure[];
  beforeAll(async () => {
    const atEachWidth = (html: string) => WIDTHS.map((width) => ({ html, width }));
    const alertOptions = {
      instance: 'acme',
      timeZone: 'America/New_York',
      nowMs: ALERTS_NOW,
      mailOlderThanHours: 24,
    };
    const measures = await measureInChromium([
      ...atEachWidth(renderReport(longStringModel()).html),
      ...atEachWidth(renderReport(sampleModel()).html),
      ...atEachWidth(renderAlertMessage(longAlerts(), alertOptions).html),
    ]);
    const n = WIDTHS.length;
    report = { long: measures.slice(0, n), sample: measures.slice(n, 2 * n) };
    alert = measures.slice(2 * n);
  }, 180_000);

  describe('the weekly report', () => {
    it.each(WIDTHS.map((width, i) => [width, i] as const))(
      'fits a %i px wide window without scrolling sideways, long Domo strings included',
      (width, i) => {
        expect(report.long[i]?.viewport).toBe(width);
        expect(report.long[i]?.scrollWidth).toBeLessThanOrEqual(width);
        expect(report.sample[i]?.scrollWidth).toBeLessThanOrEqual(width);
      },
    );

    it('stacks the five headline boxes into one column on a phone, and keeps them in a row on a desktop', () => {
      expect(report.sample[0]?.tileTops).toHaveLength(5);
      expect(new Set(report.sample[0]?.tileTops).size).toBe(5);
      expect(new Set(report.sample[1]?.tileTops).size).toBe(1);
    });
  });

  describe('the alert mail', () => {
    it.each(WIDTHS.map((width, i) => [width, i] as const))(
      'fits a %i px wide window without scrolling sideways, long Domo strings included',
      (width, i) => {
        expect(alert[i]?.viewport).toBe(width);
        expect(alert[i]?.scrollWidth).toBeLessThanOrEqual(width);
      },
    );
  });
});

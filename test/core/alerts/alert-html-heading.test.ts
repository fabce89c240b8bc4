/**
 * Review R-PHONE2: at 320 px an alert's heading broke its time at a hyphen of the date
 * (`2026-11-` / `27 01:05`) after a long kind.
 */
import { describe, expect, it } from 'vitest';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { alertAt, NOW } from './support/delivery-fixtures.ts';

const options = { instance: 'acme', timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 };

describe("an alert's heading in the HTML part", () => {
  it('keeps its time on one line', () => {
    const owner = { ...alertAt('owner', NOW - 30 * 60_000), kind: 'new_network' as const };
    const { html } = renderAlertMessage([owner], options);
    expect(html).toMatch(/&middot; <span style="white-space:nowrap">\d{4}-\d\d-\d\d \d\d:\d\d<\/span>\n<br>/);
  });
});

// Brief R3ALERT 4: a 40-character instance name without a hyphen ran the title 10 px past a
// 375-px phone's column (headless chromium: the h1's scrollWidth 369 against its 359).
describe("the mail's title in the HTML part", () => {
  it('wraps a long unbroken instance name anywhere', () => {
    const instance = 'acmecorporationproductionanalyticsinst40';
    const { html } = renderAlertMessage([alertAt('owner', NOW - 60_000)], { ...options, instance });
    const title = html.match(/<h1 style="([^"]*)">([^<]*)<\/h1>/);
    expect(title?.[2]).toBe(`Security alerts for the Domo instance ${instance}`);
    expect(title?.[1]).toContain('overflow-wrap:anywhere');
    expect(title?.[1]).toContain('word-break:break-word');
  });
});

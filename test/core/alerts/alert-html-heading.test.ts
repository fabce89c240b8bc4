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

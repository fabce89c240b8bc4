/**
 * Review R-PHONE2: an alert's heading too long for the text part's line lost the two spaces after
 * its time when wrapped (`12:05 login after impossible travel: …`), where the others keep them.
 */
import { describe, expect, it } from 'vitest';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { TEXT_WIDTH } from '../../../functions/core/mail/text-width.ts';
import { alertAt, NOW } from './support/delivery-fixtures.ts';

const options = { instance: 'acme', timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 };

describe("an alert's heading in the text part", () => {
  it('keeps two spaces after the time when it wraps, within the width', () => {
    const travel = {
      ...alertAt('travel', NOW - 30 * 60_000),
      kind: 'impossible_travel' as const,
      user_name: 'Amara Petrova-Lindqvist Montgomery',
      user_id: '1931247587',
    };
    const lines = renderAlertMessage([travel], options).text.split('\n');
    const at = lines.findIndex((l) => l.includes('login after impossible travel'));
    expect(lines[at]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d {2}login after impossible travel: /);
    expect(lines[at + 1]).toMatch(/^ {2}\S/);
    for (const line of lines.slice(at, at + 2)) expect(line.length).toBeLessThanOrEqual(TEXT_WIDTH);
  });
});

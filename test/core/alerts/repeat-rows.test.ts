/**
 * A message marked as a possible repeat can carry new alerts too, taken in since the delivery not
 * confirmed (review R-ALERT5 5): the mark of the whole did not say which rows were repeats, and
 * the HTML part showed no alert ids to drop them by.
 */
import { expect, it } from 'vitest';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { alertAt, INSTANCE, NOW } from './support/delivery-fixtures.ts';

it('marks the rows sent again, not the new ones, with every alert id in text and HTML', () => {
  const again = alertAt('again', NOW - 20 * 60_000);
  const fresh = alertAt('fresh', NOW - 5 * 60_000);
  const message = renderAlertMessage([again, fresh], {
    instance: INSTANCE,
    timeZone: 'UTC',
    nowMs: NOW,
    mailOlderThanHours: 24,
    possibleRepeat: { alertIds: [again.id], counted: 0, attempts: 1 },
  });
  const text = message.text.replace(/\s+/g, ' ');
  expect(text).toContain(`alert ${again.id} (possible repeat)`);
  expect(text).not.toContain(`alert ${fresh.id} (possible repeat)`);
  expect(text).toContain(`alert ${fresh.id}`);
  expect(message.html).toContain(`alert&nbsp;${again.id}</span></span> <b>(possible repeat)</b>`);
  expect(message.html).toContain(`alert&nbsp;${fresh.id}</span></span></td>`);
});

/**
 * data_health counts the period's events stored with no action type: Domo's entries without
 * `actionType` are categorised `other` whatever they were, so a week of them has no login, and the
 * report must say that, not blame the category rules.
 */
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { DAY_MS } from '../../functions/core/time-units.ts';
import { dataHealth } from './support/expected-answers.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { event, manifest } from './support/lake-fixture.ts';

const FROM = Date.parse('2026-10-26T00:00:00Z');
const TO = FROM + 7 * DAY_MS;

// In the period: 2 with no action type, 1 of white space, 1 with one; before it, 1 with none.
const events: EventRecord[] = [
  event('2026-10-26 09:00', { action_type: null, category: 'other' }),
  event('2026-10-26 10:00', { action_type: null, category: 'other' }),
  event('2026-10-27 09:00', { action_type: ' \t', category: 'other' }),
  event('2026-10-27 10:00'),
  event('2026-10-25 09:00', { action_type: null, category: 'other' }),
];

const period = { instance: 'default', fromMs: FROM, toMs: TO };

const lake = useFixtureEngine('action-type-', { events, coverage: [manifest('2026-10-26 09:00')] });

describe('data_health: events without an action type', () => {
  it('counts the period events with none or white space only', async () => {
    const { rows } = await lake.engine.run('data_health', standardParams(period));
    expect(rows[0]).toMatchObject({ events: 4, events_without_action_type: 3 });
    expect(rows).toEqual(dataHealth(events, [manifest('2026-10-26 09:00')], period));
  });
});

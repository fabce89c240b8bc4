/**
 * trending_cards and popular_pages count a view whatever the case of its object and action type:
 * Domo spells them in upper case today, and a view spelt `Viewed` or `card` after a change on its
 * side must not drop out of the top lists without a word.
 */
import { describe, expect, it } from 'vitest';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { DAY_MS } from '../../functions/core/time-units.ts';
import { popularPages, trendingCards } from './support/expected-answers.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { event } from './support/lake-fixture.ts';

const FROM = Date.parse('2026-10-26T00:00:00Z');
const period = { instance: 'default', fromMs: FROM, toMs: FROM + 7 * DAY_MS };

const events = [
  event('2026-10-26 09:00', { object_type: 'CARD', action_type: 'VIEWED', object_id: '1' }),
  event('2026-10-26 10:00', { object_type: 'card', action_type: 'Viewed', object_id: '1' }),
  event('2026-10-27 09:00', { object_type: 'Card', action_type: 'viewed', object_id: '2' }),
  // The week before: a card's previous views count in any case too.
  event('2026-10-20 09:00', { object_type: 'card', action_type: 'viewed', object_id: '2' }),
  event('2026-10-27 10:00', { object_type: 'PAGE', action_type: 'VIEWED', object_id: '7' }),
  event('2026-10-27 11:00', { object_type: 'page', action_type: 'viewed', object_id: '7', user_id: '2' }),
  // Not views.
  event('2026-10-27 12:00', { object_type: 'card', action_type: 'EDITED', object_id: '1' }),
  event('2026-10-27 13:00', { object_type: 'dataset', action_type: 'viewed', object_id: '1' }),
];

const lake = useFixtureEngine('view-spellings-', { events });

describe('views in any case', () => {
  it('trending_cards counts them, this week and the week before', async () => {
    const params = {
      ...standardParams(period),
      prev_from_dt: '2026-10-19',
      prev_from_ts: '2026-10-19 00:00:00.000',
      limit: '10',
    };
    const { rows } = await lake.engine.run('trending_cards', params);
    expect(rows.map((r) => [r.card_id, r.views, r.previous_views])).toEqual([
      ['1', 2, 0],
      ['2', 1, 1],
    ]);
    expect(rows).toEqual(trendingCards(events, period, 10));
  });

  it('popular_pages counts them', async () => {
    const { rows } = await lake.engine.run('popular_pages', { ...standardParams(period), limit: '10' });
    expect(rows.map((r) => [r.page_id, r.views, r.viewers])).toEqual([['7', 2, 2]]);
    expect(rows).toEqual(popularPages(events, period, 10));
  });
});

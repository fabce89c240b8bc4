import { capped, type RenderLimits } from '../mail/render-limits.ts';
import { changesNotComparable, noneThisWeek } from './comparable-weeks.ts';
import { digLine } from './dig-into-user.ts';
import { formatDelta, plural } from './number-format.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { digLines } from './text-dig-line.ts';
import { figureList } from './text-figure-list.ts';
import { columnNames, NAME_WIDTH } from './text-names.ts';
import { heading } from './text-prose.ts';

/** The most active users, with their logins, and how to dig into one of them. */
export function topUsersLines(model: WeeklyReportModel, limits: RenderLimits): string[] {
  const topUsers = capped(model.topUsers, limits.topList);
  const userNames = columnNames(
    topUsers.shown.map((u) => ({ name: u.userName, id: u.userId })),
    'user',
    NAME_WIDTH,
  );
  return [
    ...heading('Most active users (events, logins)'),
    ...figureList(
      topUsers.shown.map((u, i) => ({
        name: userNames[i] ?? '',
        value: u.events,
        extra: `${plural(u.logins, 'login')}`,
      })),
      noneThisWeek(model, 'No user activity this week.'),
      topUsers.more,
      'top users',
    ),
    ...digLines(digLine(model, limits, 'top')),
  ];
}

/**
 * The most viewed cards, with their change against the week before; the views alone when the weeks
 * do not compare like with like, as the totals then have no change column either.
 */
export function cardLines(model: WeeklyReportModel, limits: RenderLimits): string[] {
  const comparable = changesNotComparable(model) === undefined;
  const { shown, more } = capped(model.topCards, limits.topList);
  const names = columnNames(
    shown.map((c) => ({ name: c.cardName, id: c.cardId })),
    'card',
  );
  return [
    ...heading(comparable ? 'Top cards (views, change)' : 'Top cards (views)'),
    ...figureList(
      shown.map((c, i) => ({
        name: names[i] ?? '',
        value: c.views,
        extra: !comparable ? '' : c.previousViews === 0 ? 'new' : formatDelta(c.change),
      })),
      noneThisWeek(model, 'No card views this week.'),
      more,
      'top cards',
    ),
  ];
}

/** The most viewed pages, with how many users viewed each. */
export function topPagesLines(model: WeeklyReportModel, limits: RenderLimits): string[] {
  const topPages = capped(model.topPages, limits.topList);
  const pageNames = columnNames(
    topPages.shown.map((p) => ({ name: p.pageName, id: p.pageId })),
    'page',
  );
  return [
    ...heading('Top pages (views, viewers)'),
    ...figureList(
      topPages.shown.map((p, i) => ({
        name: pageNames[i] ?? '',
        value: p.views,
        extra: `${plural(p.viewers, 'viewer')}`,
      })),
      noneThisWeek(model, 'No page views this week.'),
      topPages.more,
      'top pages',
    ),
  ];
}

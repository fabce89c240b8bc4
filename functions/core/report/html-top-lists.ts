/**
 * The top lists of the report's HTML: the most active users, the most viewed cards (with their
 * change against the week before) and the most viewed pages, as bars.
 */

import { escName } from '../mail/html-name.ts';
import { capped, type RenderLimits } from '../mail/render-limits.ts';
import { changesNotComparable, noneThisWeek } from './comparable-weeks.ts';
import { digLine } from './dig-into-user.ts';
import { list } from './html-bars.ts';
import { digLineBlock } from './html-dig-line.ts';
import { sectionTitle } from './html-section.ts';
import { BAD, GOOD, MUTED } from './html-style.ts';
import { formatCount, formatDelta } from './number-format.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { rowNames } from './row-names.ts';

/** The users with the most events, with their logins. */
export function topUsersSection(model: WeeklyReportModel, limits: RenderLimits): string {
  const topUsers = capped(model.topUsers, limits.topList);
  const userLabels = rowNames(
    topUsers.shown.map((u) => ({ name: u.userName, id: u.userId })),
    'user',
    limits.name,
  );
  const users = topUsers.shown.map((u, i) => ({
    label: userLabels[i] ?? '',
    labelHtml: escName(userLabels[i] ?? ''),
    value: u.events,
    extra: { text: formatCount(u.logins) },
  }));
  return `${sectionTitle('Most active users', 'users')}
${list('users', users, noneThisWeek(model, 'No user activity this week.'), ['user', 'events', 'logins'], topUsers.more, 'top users')}${digLineBlock(digLine(model, limits, 'top'))}`;
}

/**
 * The most viewed cards, with their change against the week before; when the weeks do not compare
 * like with like ({@link changesNotComparable}), the views alone, as the headline boxes show no
 * change then: a card's "-421" would be the same false fall.
 */
export function cardsSection(model: WeeklyReportModel, limits: RenderLimits): string {
  const notComparable = changesNotComparable(model);
  const { shown, more } = capped(model.topCards, limits.topList);
  const labels = rowNames(
    shown.map((c) => ({ name: c.cardName, id: c.cardId })),
    'card',
    limits.name,
  );
  const bars = shown.map((c, i) => ({
    label: labels[i] ?? '',
    labelHtml: escName(labels[i] ?? ''),
    value: c.views,
    ...(notComparable
      ? {}
      : {
          extra: {
            text: c.previousViews === 0 ? 'new' : formatDelta(c.change),
            colour: c.change > 0 ? GOOD : c.change < 0 ? BAD : MUTED,
          },
        }),
  }));
  const caption = notComparable
    ? `Card views. No change shown: ${notComparable}.`
    : 'Card views, with the change against the week before.';
  return (
    sectionTitle('Top cards', 'cards', caption) +
    list(
      'cards',
      bars,
      noneThisWeek(model, 'No card views this week.'),
      // A blank column rather than none: the bars stay in line with the other sections'.
      ['card', 'views', notComparable ? '' : 'change'],
      more,
      'top cards',
    )
  );
}

/** The most viewed pages, with their viewers. */
export function topPagesSection(model: WeeklyReportModel, limits: RenderLimits): string {
  const topPages = capped(model.topPages, limits.topList);
  const pageLabels = rowNames(
    topPages.shown.map((p) => ({ name: p.pageName, id: p.pageId })),
    'page',
    limits.name,
  );
  const pages = topPages.shown.map((p, i) => ({
    label: pageLabels[i] ?? '',
    labelHtml: escName(pageLabels[i] ?? ''),
    value: p.views,
    extra: { text: formatCount(p.viewers) },
  }));
  return `${sectionTitle('Top pages', 'pages')}
${list('pages', pages, noneThisWeek(model, 'No page views this week.'), ['page', 'views', 'viewers'], topPages.more, 'top pages')}`;
}

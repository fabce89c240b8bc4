/**
 * The data-health section of the report's HTML: the lake's coverage of the week, its gaps, late,
 * quarantined and uncounted entries, the logins the geo data could not place, and what the report
 * scanned.
 */

import { esc } from '../mail/html-escape.ts';
import {
  extraHoursFigure,
  loginShareFigure,
  shortHoursFigure,
  unplacedHealthFigure,
} from './health-sentences.ts';
import { localTime } from './html-cell-text.ts';
import { sectionTitle } from './html-section.ts';
import { FONT, MUTED, WRAP } from './html-style.ts';
import { formatBytes, formatCount } from './number-format.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { uncountedSignInsFigure } from './uncounted-sign-ins.ts';

export function healthRow(model: WeeklyReportModel): string {
  const h = model.health;
  const zone = model.timeZone;
  const unplaced = unplacedHealthFigure(h);
  const short = shortHoursFigure(h);
  const extra = extraHoursFigure(h);
  const withoutUser = loginShareFigure(h.loginsWithoutUser, h);
  const withoutIp = loginShareFigure(h.loginsWithoutIp, h);
  const withoutCountry = loginShareFigure(h.loginsWithoutCountry, h);
  const uncounted = uncountedSignInsFigure(model);
  const items = [
    `Coverage: ${formatCount(h.coveredHours)} of ${formatCount(h.expectedHours)} hours (${h.coveragePct}%)`,
    `Gaps: ${formatCount(h.gapCount)}${h.firstMissingHour ? `, first missing hour ${localTime(h.firstMissingHour, zone)}` : ''}`,
    `Late events: ${formatCount(h.lateEvents)}`,
    `Quarantined entries: ${formatCount(h.quarantined)}`,
    `Entries outside their hour: ${formatCount(h.outOfWindow)}`,
    `Last event: ${h.lastEventTime ? localTime(h.lastEventTime, zone) : 'none'}`,
    `Last fetch from Domo: ${h.lastFetchedAt ? localTime(h.lastFetchedAt, zone) : 'none'}`,
    ...(unplaced ? [`Logins without geo data: ${unplaced}`] : []),
    ...(withoutIp ? [`Logins without an IP address: ${withoutIp}`] : []),
    ...(withoutCountry ? [`Logins without a country: ${withoutCountry}`] : []),
    ...(withoutUser ? [`Logins without a user id: ${withoutUser}`] : []),
    ...(uncounted ? [`Sign-in events not counted: ${uncounted}`] : []),
    ...(short ? [`Gone from stored hours: ${short}`] : []),
    ...(extra ? [`Not stored by the ingest: ${extra}`] : []),
    ...(model.bytesScanned > 0 ? [`Scanned for this report: ${formatBytes(model.bytesScanned)}`] : []),
  ];
  return `${sectionTitle('Data health', 'health')}
<tr><td class="pad" style="padding:0 24px 8px;${FONT}font-size:12px;line-height:18px;color:${MUTED};${WRAP}">${items.map(esc).join('<br>\n')}</td></tr>`;
}

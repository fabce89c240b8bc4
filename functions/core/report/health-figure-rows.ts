/**
 * The data-health figures that show only when they say something (logins the report could not
 * place or attribute, sign-ins not counted, hours whose stored entries differ from the lake's),
 * labelled, in the order both the HTML and the text rendering list them.
 */

import {
  extraHoursFigure,
  loginShareFigure,
  shortHoursFigure,
  unplacedHealthFigure,
} from './health-sentences.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { uncountedSignInsFigure } from './uncounted-sign-ins.ts';

export function healthFigureRows(model: WeeklyReportModel): Array<[label: string, figure: string]> {
  const h = model.health;
  const rows: Array<[string, string | undefined]> = [
    ['Logins without geo data', unplacedHealthFigure(h)],
    ['Logins without an IP address', loginShareFigure(h.loginsWithoutIp, h)],
    ['Logins without a country', loginShareFigure(h.loginsWithoutCountry, h)],
    ['Logins naming no user', loginShareFigure(h.loginsWithoutUser, h)],
    ['Sign-in and sign-out events not counted', uncountedSignInsFigure(model)],
    ['Gone from stored hours', shortHoursFigure(h)],
    ['Not stored by the ingest', extraHoursFigure(h)],
  ];
  return rows.filter((row): row is [string, string] => Boolean(row[1]));
}

/**
 * The weekly report renders its HTML again at each step of its size budget. Each rendering defanged
 * the whole model (mail-links.ts, every row, also those the caps leave out): a week over the budget
 * spent most of its rendering there. `renderReport` now defangs once and renders every step, and
 * the text part, from that one copy: the mail must be byte for byte what it was, and a model changed
 * after a report must be rendered as it is then, never from an earlier report's copy.
 */
import { describe, expect, it } from 'vitest';
import {
  encodedBytes,
  HTML_BUDGET_BYTES,
  RENDER_LIMITS,
  type RenderLimits,
  shrinkListCaps,
  startingLimits,
} from '../../../functions/core/mail/render-limits.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { type RenderedReport, renderReport } from '../../../functions/core/report/render-report.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { sampleModel } from './model-fixture.ts';

/**
 * The report as it was rendered before: each step of the budget, and the text part, from the
 * model as Domo sent it, each defanging it itself (renderHtml and renderText still do).
 */
function eachPartDefanged(model: WeeklyReportModel, topN?: number): RenderedReport {
  const subject = reportSubject(model);
  let limits: RenderLimits = startingLimits(topN);
  let shortened = false;
  let html = renderHtml(model, subject, limits);
  while (encodedBytes(html) > HTML_BUDGET_BYTES) {
    const smaller = shrinkListCaps(limits);
    if (!smaller) break;
    limits = smaller;
    shortened = true;
    html = renderHtml(model, subject, limits);
  }
  return { subject, html, text: renderText(model, limits), limits, shortened };
}

/** A web link to the planted hosts, whatever the case: what a client would make clickable. */
const LINKABLE = /[a-z]:\/\/[^\s]*(evil|changed)|www\.evil|help\.com\//i;

/** Every string a web link or a bare host with a path, HTML-significant, and long past every clip. */
const linked = (tag: string, i: number) =>
  `${tag} ${i} https://evil.example/${tag} WWW.evil.example sso-help.com/reset?u="${i}" <b>&'${'"'.repeat(200)}`;

/** A week far over the HTML budget: every list full of long, linked Domo strings. */
function largeWeek(rows: number): WeeklyReportModel {
  const base = sampleModel();
  const user = base.topUsers[0] as WeeklyReportModel['topUsers'][0];
  return {
    ...base,
    notes: [...base.notes, ...Array.from({ length: 8 }, (_, i) => `imported from ${linked('note', i)}`)],
    topUsers: Array.from({ length: 10 }, (_, i) => ({
      ...user,
      userId: linked('ui', i),
      userName: linked('un', i),
    })),
    topCards: Array.from({ length: 10 }, (_, i) => ({
      cardId: linked('ci', i),
      cardName: linked('cn', i),
      views: 100 - i,
      previousViews: 1,
      change: 99 - i,
      changePct: 1,
    })),
    topPages: Array.from({ length: 10 }, (_, i) => ({
      pageId: linked('pi', i),
      pageName: linked('pn', i),
      views: 100 - i,
      viewers: 3,
    })),
    suspiciousLogins: Array.from({ length: rows }, (_, i) => ({
      eventTime: '2026-11-18 03:04:05.000',
      userId: linked('si', i),
      userName: linked('sn', i),
      reason: i % 2 ? 'new_network' : 'new_country',
      ipAddress: linked('ip', i),
      country: null,
      asn: null,
      org: linked('org', i),
      network: linked('net', i),
      localHour: 3,
      evidence: linked('ev', i),
    })),
    loginsAfterFailures: Array.from({ length: rows }, (_, i) => ({
      eventTime: '2026-11-18 09:06:00.000',
      userId: linked('ai', i),
      userName: linked('an', i),
      ipAddress: linked('aip', i),
      failedAttempts: 6,
      lockouts: 0,
      firstFailure: '2026-11-18 09:00:00.000',
      lastFailure: '2026-11-18 09:05:00.000',
      fromFailingIp: i % 2 === 0,
      userRows: 1,
    })),
    loginsAfterFailuresTotal: rows,
    failedLogins: Array.from({ length: rows }, (_, i) => ({
      userId: linked('fi', i),
      userName: linked('fn', i),
      failedAttempts: rows - i,
      lockouts: 1,
      distinctIps: 3,
      firstFailure: '2026-11-18 09:00:00.000',
      lastFailure: '2026-11-18 09:06:00.000',
      lastLockout: '2026-11-18 09:06:30.000',
    })),
  };
}

describe('the weekly report defanged once', () => {
  it('renders a large week byte for byte as rendering each part from the model did', () => {
    const weeks: [WeeklyReportModel, number | undefined][] = [
      [largeWeek(100), undefined],
      [largeWeek(30), 3],
      [largeWeek(0), undefined],
      [sampleModel(), undefined],
    ];
    const rendered = weeks.map(([model, topN]) => renderReport(model, topN));
    rendered.forEach((report, i) => {
      const [model, topN] = weeks[i] as [WeeklyReportModel, number | undefined];
      expect(report).toEqual(eachPartDefanged(model, topN));
      // Defanged, both parts.
      expect(report.html).not.toMatch(LINKABLE);
      expect(report.text).not.toMatch(LINKABLE);
    });
    // The large week was over the budget: several steps rendered it, each from the one copy.
    expect(rendered[0]?.shortened).toBe(true);
    expect(rendered[0]?.limits).not.toEqual(RENDER_LIMITS);
  });

  it('defangs a report once, however many steps of the budget render it', () => {
    // A row past every cap: only defanging the whole model reads it, and each time it does.
    const model = largeWeek(100);
    const last = model.failedLogins.at(-1) as WeeklyReportModel['failedLogins'][0];
    const name = last.userName;
    let reads = 0;
    Object.defineProperty(last, 'userName', {
      enumerable: true,
      get: () => {
        reads++;
        return name;
      },
    });
    const { limits } = renderReport(model);
    expect(limits).not.toEqual(RENDER_LIMITS);
    expect(reads).toBe(1);
  });

  it('renders a model changed after a report as it is then, not from the report before', () => {
    const model = largeWeek(40);
    const before = renderReport(model);
    // Changed in place, as a caller may: a name, a row more, a row fewer.
    const first = model.topUsers[0] as WeeklyReportModel['topUsers'][0];
    first.userName = 'Renamed https://changed.example/x';
    model.suspiciousLogins.push({
      ...(model.suspiciousLogins[0] as WeeklyReportModel['suspiciousLogins'][0]),
      eventTime: '2026-11-19 04:05:06.000',
    });
    model.failedLogins.splice(0, 1);
    const after = renderReport(model);
    expect(after).toEqual(eachPartDefanged(model));
    expect(after.html).not.toBe(before.html);
    // Cut short to leave room for the user's id.
    expect(after.html).toContain('Renamed https[:]//ch');
    expect(after.text).toContain('Renamed http');
    expect(after.text).not.toMatch(LINKABLE);
    expect(before.html).not.toContain('Renamed');
  });
});

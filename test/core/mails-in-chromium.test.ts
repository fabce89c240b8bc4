import { beforeAll, describe, expect, it } from 'vitest';
import { ALERT_KINDS, type Alert, alertId } from '../../functions/core/alerts/alert.ts';
import { renderAlertMessage } from '../../functions/core/alerts/render-alerts.ts';
import { lakeTimestamp } from '../../functions/core/lake/layout.ts';
import { renderReport } from '../../functions/core/report/render-report.ts';
import { CHROMIUM, MEASURE, type Measure, probeInChromium } from '../support/chromium-layout.ts';
import { missingToolTest } from '../support/missing-tool.ts';
import { sampleModel } from './report/model-fixture.ts';

/**
 * The mails as a person sees them, in headless Chromium: the weekly report and the alert mail at a
 * phone's width and a desktop's, with the longest unbroken strings Domo could send in them; and the
 * weekly report as a phone and a zoomed text show it (review R-A11Y): a user's name keeps its words
 * whole in the failed logins and the top users at a phone's widths, an e-mail address as a name
 * breaks without widening the page, and with the text alone zoomed to 200% (Thunderbird's "Zoom
 * Text Only") the headline boxes grow instead of running into each other. Every page loads in one
 * Chromium run (a launch costs ~2.5 s of CPU), and each is measured, then read, then zoomed. Without
 * Chromium a local run says so loudly; in CI (CI set) a missing Chromium fails.
 */
const WIDTHS = [375, 900] as const;
/** A phone at 400% zoom (WCAG 1.4.10's 320 CSS px), a phone, and a desktop. */
const REFLOW_WIDTHS = [320, 375, 1280] as const;
/** The mail as a client that drops `<style>` shows it (review R-A11Y M1). */
const withoutStyle = (html: string) => html.replace(/<style>[\s\S]*?<\/style>/g, '');
const unbroken = 'x'.repeat(120);

/** A week with the longest strings Domo could send: nothing in it may widen the page. */
function longStringModel() {
  const base = sampleModel();
  return sampleModel({
    suspiciousLogins: base.suspiciousLogins.map((s) => ({
      ...s,
      evidence: `first seen ${unbroken}`,
      userName: unbroken,
    })),
    failedLogins: base.failedLogins.map((f) => ({ ...f, userName: unbroken })),
    // The command to dig into a user: a long path to the CLI, copied whole (review R-INVEST L1).
    userActivityCommand: `node /${unbroken}/bin/domo-activity-lake.js query user_activity --lake /${unbroken} --param user_id=`,
    // The addresses that failed for many users: an address and a network owner without a break.
    failedLoginAddresses: [
      {
        ipAddress: `2001:0db8:85a3:0000:0000:8a2e:0370:7334${unbroken}`,
        users: 13,
        failedAttempts: 15,
        firstFailure: '2026-11-20 03:53:10.000',
        lastFailure: '2026-11-21 04:56:40.000',
        country: 'AU',
        asn: 16509,
        org: unbroken,
      },
    ],
    // A sign-in after failed logins: a name and an address without a break.
    loginsAfterFailures: [
      {
        eventTime: '2026-11-18 09:06:00.000',
        userId: '1039710626',
        userName: unbroken,
        ipAddress: `2001:0db8:85a3:0000:0000:8a2e:0370:7334${unbroken}`,
        failedAttempts: 6,
        lockouts: 1,
        firstFailure: '2026-11-18 09:00:00.000',
        lastFailure: '2026-11-18 09:05:00.000',
        fromFailingIp: true,
        userRows: 2,
      },
    ],
    loginsAfterFailuresTotal: 1,
    topCards: base.topCards.map((c) => ({ ...c, cardName: unbroken })),
    notes: [`A note with ${unbroken}`],
    // The data health's gaps named by their hours, a few and the count of the rest, must wrap too.
    health: {
      ...base.health,
      coveredHours: 158,
      missingHours: 10,
      gapCount: 5,
      firstMissingHour: '2026-11-16 05:00:00.000',
      leadingMissingHours: 0,
      innerGapCount: 5,
      innerMissingHours: 10,
      trailingMissingHours: 0,
      notClosedHours: 0,
      missingRuns: [
        { start: '2026-11-16 05:00:00.000', hours: 1 },
        { start: '2026-11-17 22:00:00.000', hours: 4 },
        { start: '2026-11-18 09:00:00.000', hours: 2 },
      ],
    },
    // The sentence on the security alerts, under the suspicious logins, must wrap too.
    securityAlerts: { historyDays: 30 },
    // And the sentences naming the sign-in events not counted, with Domo's action types and texts.
    uncountedSignIns: {
      unrecognised: 3,
      quarantined: 2,
      actionTypes: [
        { source: 'unrecognised', actionType: unbroken, exampleText: null, entries: 2 },
        { source: 'unrecognised', actionType: null, exampleText: unbroken, entries: 1 },
        { source: 'quarantined', actionType: unbroken, exampleText: null, entries: 2 },
      ],
    },
  });
}

const ALERTS_NOW = Date.parse('2026-11-18T15:00:00Z');

/** One alert of every kind, each with the longest strings in every cell and the query to copy. */
function longAlerts(): Alert[] {
  return ALERT_KINDS.map((kind, i) => {
    const eventMs = ALERTS_NOW - (i + 1) * 10 * 60_000;
    return {
      id: alertId('acme', kind, [String(eventMs)]),
      instance: 'acme',
      kind,
      user_id: `${i}${'9'.repeat(60)}`,
      user_name: unbroken,
      event_time: lakeTimestamp(eventMs),
      event_time_ms: eventMs,
      evidence: `from IP 2001:0db8:85a3:0000:0000:8a2e:0370:7334 and ${unbroken}`,
      ip_address: '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
      event_ids: [unbroken],
    };
  });
}

/**
 * The alerts of {@link longAlerts} sent 3 hours later by a channel whose last attempts failed with a
 * long error, after two messages of unknown outcome: the lines above the alerts and each alert's
 * sending time must wrap too.
 */
function lateAlertsHtml(options: Parameters<typeof renderAlertMessage>[1]): string {
  const ids = longAlerts().map((a) => a.id);
  const notice = (at: number, alertIds: string[]) => ({
    at: new Date(at).toISOString(),
    alert_ids: alertIds,
    kinds: { lockout: alertIds.length },
    oldest_ms: at - 3_600_000,
    newest_ms: at,
  });
  const html = renderAlertMessage(longAlerts(), {
    ...options,
    nowMs: ALERTS_NOW + 3 * 3_600_000,
    channelRefused: { refusals: 2, lastError: unbroken, oldestMs: 0 },
    unknownNotices: [notice(ALERTS_NOW, ids.slice(0, 3)), notice(ALERTS_NOW + 900_000, ids.slice(3))],
  }).html;
  if (!html.includes('Sent late') || !html.includes('may not have arrived')) throw new Error('no late lines');
  return html;
}

const PHONES = [320, 360, 375, 414] as const;
/** A long real name, then the user's id as the mail shows it after the name: neither may break. */
const NAME = 'Alexandra Konstantinopoulou (1931247587)';
const ADDRESS = 'maximilian.schwarzenegger@example.com';

function longNamesModel() {
  const base = sampleModel();
  const [failed] = base.failedLogins;
  const [top] = base.topUsers;
  if (!failed || !top) throw new Error('the fixture has a failed login and a top user');
  return sampleModel({
    failedLogins: [
      { ...failed, userId: '1931247587', userName: 'Alexandra Konstantinopoulou' },
      { ...failed, userId: '78', userName: ADDRESS, lockouts: 0 },
    ],
    topUsers: [
      { ...top, userId: '1931247587', userName: 'Alexandra Konstantinopoulou' },
      { ...top, userId: '78', userName: ADDRESS, events: 1 },
    ],
  });
}

interface Reading {
  scrollWidth: number;
  viewport: number;
  /** The words of {@link NAME} that a line break cut in two, in every cell that shows it. */
  cut: string[];
  /** Cells that show the name. */
  cells: number;
}

/** Where each character of the name's cells sits: a line break between two letters cuts a word. */
const READ_NAMES = `(doc) => {
  const cells = [...doc.querySelectorAll('td, th')].filter((c) => c.textContent.trim() === ${JSON.stringify(NAME)});
  const cut = [];
  for (const cell of cells) {
    const text = cell.firstChild;
    const range = doc.createRange();
    let top = null;
    for (let i = 0; i < text.length; i++) {
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      const y = Math.round(range.getClientRects()[0]?.top ?? 0);
      if (top !== null && y !== top && /\\S/.test(text.data[i - 1]) && /\\S/.test(text.data[i])) cut.push(text.data.slice(0, i) + '|');
      top = y;
    }
  }
  return { scrollWidth: doc.documentElement.scrollWidth, viewport: doc.documentElement.clientWidth, cut, cells: cells.length };
}`;

/** The command to dig into a user as `report` prints it, each word shorter than a phone's line. */
const COMMAND =
  'node /opt/dal/bin/domo-activity-lake.js query user_activity --lake /srv/domo-activity-lake/lake --instance main --from 2026-11-16T00:00+01:00 --to 2026-11-23T00:00+01:00 --time-zone Europe/Paris --param user_id=';
const COMMAND_WIDTHS = [375, 1024] as const;

interface CommandReading {
  /** The words of the command box that a line break cut in two (review R-REPORTID). */
  commandCut: string[];
  /** The box's text as a copy reads it, white space as one space; null without a box. */
  commandCopy: string | null;
}

/** The command box's words, each with the lines its characters sit on, whatever the markup. */
const READ_COMMAND = `(doc) => {
  const box = [...doc.querySelectorAll('td')].find((c) => c.style.fontFamily.includes('monospace'));
  if (!box) return { commandCut: [], commandCopy: null };
  const walker = doc.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  const range = doc.createRange();
  const chars = [];
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    for (let i = 0; i < text.length; i++) {
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      chars.push([text.data[i], Math.round(range.getClientRects()[0]?.top ?? 0)]);
    }
  }
  const commandCut = [];
  let word = '';
  let tops = new Set();
  for (const [c, top] of [...chars, [' ', 0]]) {
    if (/\\s/.test(c)) {
      if (tops.size > 1) commandCut.push(word);
      word = '';
      tops = new Set();
    } else {
      word += c;
      tops.add(top);
    }
  }
  return { commandCut, commandCopy: box.innerText.replace(/\\s+/g, ' ').trim() };
}`;

interface Zoomed {
  /** Headline boxes. */
  tiles: number;
  /** The figures of those whose text spills out of them. */
  spilt: string[];
}

/**
 * Every size in pixels of the page's text doubled, as a text-only zoom does, then the headline
 * boxes: how many there are, and the figures that spill out of their box.
 */
const ZOOM_TEXT = `(doc) => {
  for (const el of doc.querySelectorAll('[style*="font-size"]')) {
    const px = /([\\d.]+)px/.exec(el.style.fontSize);
    if (px && Number(px[1]) > 2) el.style.fontSize = Number(px[1]) * 2 + 'px';
  }
  const tiles = [...doc.querySelectorAll('.tile')];
  const spilt = tiles.flatMap((tile) => {
    const box = tile.getBoundingClientRect();
    const range = doc.createRange();
    range.selectNodeContents(tile);
    const text = range.getBoundingClientRect();
    return text.left < box.left - 0.5 || text.right > box.right + 0.5 ? [tile.textContent.trim().split(/\\s+/)[0]] : [];
  });
  return { tiles: tiles.length, spilt };
}`;

/** What the one run tells of each page: its measure, then the reading of names, then the zoom. */
type Answer = Measure & Reading & CommandReading & Zoomed;

describe('the mails in a browser', () => {
  if (!CHROMIUM) {
    missingToolTest('chromium', 'the layout of the report and alert mails, read on a phone and zoomed');
    return;
  }

  let report: { long: Measure[]; sample: Measure[] };
  let alert: Measure[];
  let lateAlert: Measure[];
  let phones: Reading[];
  let zoomed: Zoomed[];
  let commands: (Measure & CommandReading)[];
  let reflow: { kept: Measure[]; stripped: Measure[]; longStripped: Measure[] };
  beforeAll(async () => {
    const atEachWidth = (html: string, widths: readonly number[]) => widths.map((width) => ({ html, width }));
    const alertOptions = {
      instance: 'acme',
      timeZone: 'America/New_York',
      nowMs: ALERTS_NOW,
      mailOlderThanHours: 24,
    };
    const sample = renderReport(sampleModel()).html;
    const long = renderReport(longStringModel()).html;
    const groups = [
      atEachWidth(long, WIDTHS),
      atEachWidth(sample, WIDTHS),
      atEachWidth(renderAlertMessage(longAlerts(), alertOptions).html, WIDTHS),
      atEachWidth(lateAlertsHtml(alertOptions), WIDTHS),
      atEachWidth(renderReport(longNamesModel()).html, PHONES),
      atEachWidth(sample, [600, 900]),
      atEachWidth(renderReport(sampleModel({ userActivityCommand: COMMAND })).html, COMMAND_WIDTHS),
      atEachWidth(sample, REFLOW_WIDTHS),
      atEachWidth(withoutStyle(sample), REFLOW_WIDTHS),
      atEachWidth(withoutStyle(long), REFLOW_WIDTHS),
    ];
    // The zoom changes the page, so it comes last.
    const answers = await probeInChromium<Answer>(
      groups.flat(),
      `(doc) => ({ ...(${MEASURE})(doc), ...(${READ_NAMES})(doc), ...(${READ_COMMAND})(doc), ...(${ZOOM_TEXT})(doc) })`,
    );
    const [
      longs = [],
      sampled = [],
      alerts = [],
      late = [],
      names = [],
      zooms = [],
      dig = [],
      kept = [],
      stripped = [],
      longStripped = [],
    ] = groups.map((group) => answers.splice(0, group.length));
    commands = dig;
    reflow = { kept, stripped, longStripped };
    report = { long: longs, sample: sampled };
    alert = alerts;
    lateAlert = late;
    phones = names;
    zoomed = zooms;
  }, 180_000);

  describe('the weekly report', () => {
    it.each(WIDTHS.map((width, i) => [width, i] as const))(
      'fits a %i px wide window without scrolling sideways, long Domo strings included',
      (width, i) => {
        expect(report.long[i]?.viewport).toBe(width);
        expect(report.long[i]?.scrollWidth).toBeLessThanOrEqual(width);
        expect(report.sample[i]?.scrollWidth).toBeLessThanOrEqual(width);
      },
    );

    it.each(COMMAND_WIDTHS.map((width, i) => [width, i] as const))(
      'breaks the command to copy between its words only at %i px, and copies it as one line',
      (width, i) => {
        const reading = commands[i];
        expect(reading?.scrollWidth).toBeLessThanOrEqual(width);
        expect(reading?.commandCut).toEqual([]);
        expect(reading?.commandCopy).toBe(`${COMMAND}103`);
      },
    );

    it.each(REFLOW_WIDTHS.map((width, i) => [width, i] as const))(
      'reflows at %i px with its <style> block and without it, long Domo strings included',
      (width, i) => {
        for (const measure of [reflow.kept[i], reflow.stripped[i], reflow.longStripped[i]]) {
          expect(measure?.viewport).toBe(width);
          expect(measure?.scrollWidth).toBeLessThanOrEqual(width);
        }
      },
    );

    it('lays the boxes three a line without its <style> block, and in a row at 1280 px with it', () => {
      for (const measure of reflow.stripped) expect(new Set(measure.tileTops).size).toBe(2);
      expect(new Set(reflow.kept[0]?.tileTops).size).toBe(2);
      expect(new Set(reflow.kept[2]?.tileTops).size).toBe(1);
    });

    it('lays the six headline boxes three a line on a phone, and keeps them in a row on a desktop', () => {
      expect(report.sample[0]?.tileTops).toHaveLength(6);
      expect(new Set(report.sample[0]?.tileTops).size).toBe(2);
      expect(new Set(report.sample[1]?.tileTops).size).toBe(1);
    });
  });

  describe('the alert mail', () => {
    it.each(WIDTHS.map((width, i) => [width, i] as const))(
      'fits a %i px wide window without scrolling sideways, long Domo strings included',
      (width, i) => {
        expect(alert[i]?.viewport).toBe(width);
        expect(alert[i]?.scrollWidth).toBeLessThanOrEqual(width);
      },
    );

    it.each(WIDTHS.map((width, i) => [width, i] as const))(
      'fits a %i px wide window sent late, with a lost earlier message and a long last error',
      (width, i) => {
        expect(lateAlert[i]?.viewport).toBe(width);
        expect(lateAlert[i]?.scrollWidth).toBeLessThanOrEqual(width);
      },
    );
  });

  describe('the weekly report read on a phone and zoomed', () => {
    it.each(PHONES.map((width, i) => [width, i] as const))(
      'keeps the words of a long name whole at %i px, and an e-mail address in the page',
      (width, i) => {
        const reading = phones[i];
        // The failed logins and the most active users.
        expect(reading?.cells).toBe(2);
        expect(reading?.cut).toEqual([]);
        expect(reading?.scrollWidth).toBeLessThanOrEqual(width);
      },
    );

    it('lets the headline boxes grow with zoomed text instead of spilling their figures', () => {
      for (const reading of zoomed) {
        expect(reading.tiles).toBe(6);
        expect(reading.spilt).toEqual([]);
      }
    });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { renderAlertMessage } from '../../functions/core/alerts/render-alerts.ts';
import { renderReport } from '../../functions/core/report/render-report.ts';
import { CHROMIUM, probeInChromium } from '../support/chromium-layout.ts';
import { missingToolTest } from '../support/missing-tool.ts';
import { alertOf } from './alerts/support/alert-fixtures.ts';
import { modelWithMissingDay, sampleModel } from './report/model-fixture.ts';

/**
 * The weekly report in Windows' high contrast (review R-A11Y L8): forced colours drop every
 * background, and the bars, cells of a background colour alone, were gone. Chromium's
 * `--force-high-contrast` sets forced colours as Windows does; each bar must still show, as an
 * outline in the reader's own colours, and so must each finding badge's box. A launch of its own: its flag would change the other
 * Chromium tests' pages.
 */
interface Bars {
  forced: boolean;
  bars: number;
  /** Each bar that shows nothing: no border, or one the colour of its own background. */
  unseen: string[];
}

const READ_BARS = `(doc) => {
  const cells = [...doc.querySelectorAll('td[aria-hidden="true"] td[bgcolor]')];
  return {
    forced: doc.defaultView.matchMedia('(forced-colors: active)').matches,
    bars: cells.length,
    unseen: cells.flatMap((cell, i) => {
      const s = doc.defaultView.getComputedStyle(cell);
      const drawn = s.borderTopStyle !== 'none' && parseFloat(s.borderTopWidth) >= 1 && s.borderTopColor !== s.backgroundColor;
      return drawn ? [] : [i + ': ' + s.backgroundColor + ' / ' + s.borderTopStyle + ' ' + s.borderTopColor];
    }),
  };
}`;

/**
 * Each finding badge (a suspicious login's reason, a failure alert's kind) that shows no outline:
 * no border, or one the colour of its background.
 */
const READ_BADGES = `(doc) => {
  const badges = [...doc.querySelectorAll('span[style*="background-color"], b[style*="background-color"]')];
  return {
    forced: doc.defaultView.matchMedia('(forced-colors: active)').matches,
    badges: badges.length,
    unseen: badges.flatMap((badge, i) => {
      const s = doc.defaultView.getComputedStyle(badge);
      const drawn = s.borderTopStyle === 'solid' && parseFloat(s.borderTopWidth) >= 1 && s.borderTopColor !== s.backgroundColor;
      return drawn ? [] : [i + ': ' + badge.textContent + ': ' + s.backgroundColor + ' / ' + s.borderTopStyle + ' ' + s.borderTopColor];
    }),
  };
}`;

/** The alerts mail of one lockout, whose kind is a badge. */
const alertsHtml = () =>
  renderAlertMessage([alertOf({ event_time_ms: Date.parse('2026-11-18T14:00:00Z') })], {
    instance: 'acme',
    timeZone: 'UTC',
    nowMs: Date.parse('2026-11-18T15:00:00Z'),
    mailOlderThanHours: 24,
  }).html;

describe('the weekly report in forced colours', () => {
  if (!CHROMIUM) {
    missingToolTest('chromium', 'the bars of the report in forced colours');
    return;
  }

  let answers: Bars[];
  let badges: { forced: boolean; badges: number; unseen: string[] }[];
  beforeAll(async () => {
    // A full bar and a paler one (a day missing its events), at a phone's width and a desktop's.
    const pages = [sampleModel(), modelWithMissingDay()].flatMap((model) =>
      [375, 900].map((width) => ({ html: renderReport(model).html, width })),
    );
    [answers, badges] = await Promise.all([
      probeInChromium<Bars>(pages, READ_BARS, ['--force-high-contrast']),
      probeInChromium<{ forced: boolean; badges: number; unseen: string[] }>(
        [pages[0] as { html: string; width: number }, { html: alertsHtml(), width: 375 }],
        READ_BADGES,
        ['--force-high-contrast'],
      ),
    ]);
  }, 120_000);

  it('keeps the finding badges outlined, as a pill in the reader colours (review R-A11Y L8)', () => {
    // The report's one suspicious login, and the alerts mail's lockout (a failure kind).
    expect(badges).toEqual([
      { forced: true, badges: 1, unseen: [] },
      { forced: true, badges: 1, unseen: [] },
    ]);
  });

  it('keeps every bar visible as an outline', () => {
    expect(answers).toHaveLength(4);
    for (const answer of answers) {
      expect(answer.forced).toBe(true);
      expect(answer.bars).toBeGreaterThan(10);
      expect(answer.unseen).toEqual([]);
    }
  });
});

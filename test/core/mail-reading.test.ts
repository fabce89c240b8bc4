import { beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../functions/core/report/render-report.ts';
import { CHROMIUM, probeInChromium } from '../support/chromium-layout.ts';
import { missingToolTest } from '../support/missing-tool.ts';
import { sampleModel } from './report/model-fixture.ts';

/**
 * The weekly report as a phone and a zoomed text show it (review R-A11Y), in headless Chromium: a
 * user's name keeps its words whole in the failed logins and the top users at a phone's widths,
 * an e-mail address as a name breaks without widening the page, and with the text alone zoomed to
 * 200% (Thunderbird's "Zoom Text Only") the headline boxes grow instead of running into each
 * other. Without Chromium a local run says so loudly; in CI (CI set) a missing Chromium fails.
 */
const PHONES = [320, 360, 375, 414] as const;
const NAME = 'Alexandra Konstantinopoulou';
const ADDRESS = 'maximilian.schwarzenegger@example.com';

function longNamesModel() {
  const base = sampleModel();
  const [failed] = base.failedLogins;
  const [top] = base.topUsers;
  if (!failed || !top) throw new Error('the fixture has a failed login and a top user');
  return sampleModel({
    failedLogins: [
      { ...failed, userId: '77', userName: NAME },
      { ...failed, userId: '78', userName: ADDRESS, lockouts: 0 },
    ],
    topUsers: [
      { ...top, userId: '77', userName: NAME },
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

describe('the weekly report read on a phone and zoomed', () => {
  if (!CHROMIUM) {
    missingToolTest('chromium', 'the reading of the weekly report on a phone and zoomed');
    return;
  }

  let phones: Reading[];
  let zoomed: Zoomed[];
  beforeAll(async () => {
    const names = renderReport(longNamesModel()).html;
    const sample = renderReport(sampleModel()).html;
    // One Chromium run for both (a launch costs ~2.5 s of CPU): each page is read, then zoomed.
    const pages = [
      ...PHONES.map((width) => ({ html: names, width })),
      ...[600, 900].map((width) => ({ html: sample, width })),
    ];
    const answers = await probeInChromium<Reading & Zoomed>(
      pages,
      `(doc) => ({ ...(${READ_NAMES})(doc), ...(${ZOOM_TEXT})(doc) })`,
    );
    phones = answers.slice(0, PHONES.length);
    zoomed = answers.slice(PHONES.length);
  }, 180_000);

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
      expect(reading.tiles).toBe(5);
      expect(reading.spilt).toEqual([]);
    }
  });
});

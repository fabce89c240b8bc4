import { beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import { CHROMIUM, type Measure, measureInChromium } from '../../support/chromium-layout.ts';
import { missingToolTest } from '../../support/missing-tool.ts';
import { sampleModel } from './model-fixture.ts';

/**
 * The mail as a person sees it: the report's HTML in headless Chromium at a phone's width and a
 * desktop's, with long unbroken Domo strings in it. Without Chromium a local run says so loudly;
 * in CI (CI set) a missing Chromium fails.
 */

/** A week with the longest strings Domo could send: nothing in it may widen the page. */
function longStringModel() {
  const base = sampleModel();
  const unbroken = 'x'.repeat(120);
  return sampleModel({
    suspiciousLogins: base.suspiciousLogins.map((s) => ({
      ...s,
      evidence: `first seen ${unbroken}`,
      userName: unbroken,
    })),
    failedLogins: base.failedLogins.map((f) => ({ ...f, userName: unbroken })),
    topCards: base.topCards.map((c) => ({ ...c, cardName: unbroken })),
    notes: [`A note with ${unbroken}`],
  });
}

describe('the mail in a browser', () => {
  if (!CHROMIUM) {
    missingToolTest('chromium', 'the mail layout');
    return;
  }

  const WIDTHS = [375, 900] as const;
  let long: Measure[];
  let sample: Measure[];
  beforeAll(async () => {
    const pages = [longStringModel(), sampleModel()].flatMap((model) => {
      const { html } = renderReport(model);
      return WIDTHS.map((width) => ({ html, width }));
    });
    const measures = await measureInChromium(pages);
    long = measures.slice(0, 2);
    sample = measures.slice(2);
  }, 180_000);

  it.each(WIDTHS.map((width, i) => [width, i] as const))(
    'fits a %i px wide window without scrolling sideways, long Domo strings included',
    (width, i) => {
      expect(long[i]?.viewport).toBe(width);
      expect(long[i]?.scrollWidth).toBeLessThanOrEqual(width);
      expect(sample[i]?.scrollWidth).toBeLessThanOrEqual(width);
    },
  );

  it('stacks the five headline boxes into one column on a phone, and keeps them in a row on a desktop', () => {
    expect(sample[0]?.tileTops).toHaveLength(5);
    expect(new Set(sample[0]?.tileTops).size).toBe(5);
    expect(new Set(sample[1]?.tileTops).size).toBe(1);
  });
});

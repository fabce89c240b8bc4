import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import { sampleModel } from './model-fixture.ts';

/**
 * The mail as a person sees it: the report's HTML in headless Chromium (Debian's `chromium`, which
 * .ci/run installs) at a phone's width and a desktop's, with long unbroken Domo strings in it.
 * Without Chromium a local run says so loudly; in CI (CI set) a missing Chromium fails.
 */
const exec = promisify(execFile);
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

interface Measure {
  scrollWidth: number;
  viewport: number;
  tileTops: number[];
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mail-layout-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Loads each page in a frame of its width in one Chromium run (desktop Chromium does not make
 * windows narrower than 500 px; a frame's viewport is exactly its width, media queries included)
 * and reads the page's width, the viewport's and where each headline box starts.
 */
async function measure(pages: readonly { html: string; width: number }[]): Promise<Measure[]> {
  const frames = pages.map(({ html, width }) => {
    const srcdoc = html.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
    return `<iframe style="display:block;width:${width}px;height:4000px;border:0" srcdoc="${srcdoc}"></iframe>`;
  });
  const host = `<!DOCTYPE html><html><body style="margin:0">${frames.join('\n')}
<script>window.addEventListener('load', () => {
  const measures = [...document.querySelectorAll('iframe')].map((frame) => {
    const doc = frame.contentDocument;
    return {
      scrollWidth: doc.documentElement.scrollWidth,
      viewport: doc.documentElement.clientWidth,
      tileTops: [...doc.querySelectorAll('.tile')].map((t) => Math.round(t.getBoundingClientRect().top)),
    };
  });
  document.body.setAttribute('data-measure', JSON.stringify(measures));
});</script></body></html>`;
  const file = join(dir, 'mail.html');
  await writeFile(file, host);
  const { stdout } = await exec(
    CHROMIUM as string,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      '--window-size=1200,1200',
      '--dump-dom',
      pathToFileURL(file).href,
    ],
    { timeout: 120_000 },
  );
  const attribute = /data-measure="([^"]*)"/.exec(stdout)?.[1] ?? '';
  return JSON.parse(attribute.replaceAll('&quot;', '"').replaceAll('&amp;', '&')) as Measure[];
}

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
    it('needs Chromium: apt-get install -y chromium (CI installs it; this run did NOT check the layout)', () => {
      // Said in the output of every local run without it; CI cannot get here unnoticed.
      console.warn('mail layout NOT checked: Chromium is missing (apt-get install -y chromium)');
      expect(process.env.CI, 'CI must install Chromium (.ci/run does)').toBeFalsy();
    });
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
    const measures = await measure(pages);
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

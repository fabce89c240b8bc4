import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/**
 * Mail as a person sees it: HTML pages in headless Chromium (Debian's `chromium`, which .ci/run
 * installs), each in a frame of a given width. Tests without Chromium say so loudly and fail in CI.
 */
const exec = promisify(execFile);

/** The Chromium binary, if this machine has one. */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

export interface Measure {
  scrollWidth: number;
  viewport: number;
  /** Where each element of class `tile` starts (the report's headline boxes). */
  tileTops: number[];
}

/**
 * What `probe`, a JavaScript function of a frame's document (its source, e.g.
 * `(doc) => doc.title`), returns for each page, each loaded in a frame of its width in one
 * Chromium run (desktop Chromium does not make windows narrower than 500 px; a frame's viewport is
 * exactly its width, media queries included). The answers must be JSON. `flags` are Chromium's
 * own, e.g. `--force-high-contrast` (forced colours, as Windows' high contrast sets them).
 */
export async function probeInChromium<T>(
  pages: readonly { html: string; width: number }[],
  probe: string,
  flags: readonly string[] = [],
): Promise<T[]> {
  const dir = await mkdtemp(join(tmpdir(), 'mail-layout-'));
  try {
    const frames = pages.map(({ html, width }) => {
      const srcdoc = html.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
      return `<iframe style="display:block;width:${width}px;height:4000px;border:0" srcdoc="${srcdoc}"></iframe>`;
    });
    const host = `<!DOCTYPE html><html><body style="margin:0">${frames.join('\n')}
<script>window.addEventListener('load', () => {
  const probe = ${probe};
  const answers = [...document.querySelectorAll('iframe')].map((frame) => probe(frame.contentDocument));
  document.body.setAttribute('data-measure', JSON.stringify(answers));
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
        ...flags,
        '--dump-dom',
        pathToFileURL(file).href,
      ],
      { timeout: 120_000 },
    );
    const attribute = /data-measure="([^"]*)"/.exec(stdout)?.[1] ?? '';
    return JSON.parse(attribute.replaceAll('&quot;', '"').replaceAll('&amp;', '&')) as T[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A probe ({@link probeInChromium}) of each page's width, its viewport's and where each headline
 * box starts.
 */
export const MEASURE = `(doc) => ({
  scrollWidth: doc.documentElement.scrollWidth,
  viewport: doc.documentElement.clientWidth,
  tileTops: [...doc.querySelectorAll('.tile')].map((t) => Math.round(t.getBoundingClientRect().top)),
})`;

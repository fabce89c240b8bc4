/**
 * Review R-CISO2: the CISO reads the weekly mail on a phone, 390 px wide, and has its first screen
 * to see whether anything is wrong. Each finding of "Needs attention" was followed by its command,
 * five lines of a fixed-width font there, and the first screen held three findings of six. The
 * findings now come first and the commands after them: in Chromium at a phone's width, every
 * finding ends within the first screen, above the first command.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import { CHROMIUM, probeInChromium } from '../../support/chromium-layout.ts';
import { missingToolTest } from '../../support/missing-tool.ts';
import { firstTimer, leaver } from './bulk-mover-fixture.ts';
import { madeAdmin, sampleModel, signInAfterFailures, sprayingAddress } from './model-fixture.ts';

/** A deployed report's command, as long as the demo's. */
const COMMAND =
  'npx --no domo-activity-lake query user_activity --athena --workgroup domo-activity-lake --database domo_activity_lake --instance acme --from 2026-11-16 --to 2026-11-23 --time-zone Europe/Paris --param user_id=';

/** A phone 390 px wide (an iPhone's 844 px of height, less the mail app's bars). */
const PHONE = { width: 390, firstScreen: 700 };

/** Every kind of finding in one week, seven lines of Needs attention. */
const busy = sampleModel({
  userActivityCommand: COMMAND,
  loginsAfterFailures: [signInAfterFailures],
  loginsAfterFailuresTotal: 1,
  privilegedChanges: [madeAdmin],
  privilegedChangesTotal: 3,
  bulkDataMovers: [leaver, firstTimer],
  bulkDataMoversTotal: 2,
  failedLoginAddresses: [sprayingAddress],
  failedLoginAddressCount: 1,
});

interface Screen {
  /** Where each numbered finding ends, from the top of the page. */
  findingBottoms: number[];
  /** Where the first command box starts; null without one. */
  firstCommandTop: number | null;
}

const READ_SCREEN = `(doc) => {
  const cells = [...doc.querySelectorAll('td')];
  const findings = cells.filter((c) => c.firstElementChild?.tagName === 'B' && /^\\d+\\.$/.test(c.firstElementChild.textContent));
  const command = cells.find((c) => c.style.fontFamily.includes('monospace'));
  return {
    findingBottoms: findings.map((c) => Math.round(c.getBoundingClientRect().bottom)),
    firstCommandTop: command ? Math.round(command.getBoundingClientRect().top) : null,
  };
}`;

describe("Needs attention on a phone's first screen", () => {
  if (!CHROMIUM) {
    missingToolTest('chromium', "Needs attention on a phone's first screen");
    return;
  }

  let screen: Screen;
  beforeAll(async () => {
    [screen = { findingBottoms: [], firstCommandTop: null }] = await probeInChromium<Screen>(
      [{ html: renderReport(busy).html, width: PHONE.width }],
      READ_SCREEN,
    );
  }, 180_000);

  it('shows every finding within the first screen, above the commands', () => {
    expect(screen.findingBottoms).toHaveLength(7);
    const last = Math.max(...screen.findingBottoms);
    expect(last).toBeLessThanOrEqual(PHONE.firstScreen);
    expect(screen.firstCommandTop).toBeGreaterThan(last);
  });
});

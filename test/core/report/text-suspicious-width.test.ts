/**
 * Review R-PHONE2: a suspicious login's first line in the text part was 80 to 96 columns with an
 * IPv6 address or a long reason, past the width the rest of the text part keeps.
 */
import { describe, expect, it } from 'vitest';
import { TEXT_WIDTH } from '../../../functions/core/mail/text-width.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import { sampleModel } from './model-fixture.ts';

describe("a suspicious login's first line in the text part", () => {
  const login = sampleModel().suspiciousLogins[0];
  if (login === undefined) throw new Error('the fixture has a suspicious login');

  it('puts an IPv6 address on a line of its own when the line would pass the width', () => {
    const ip = '2607:fb90:d83:69cb:aa91:3806:20b5:cd47';
    const text = renderText(
      sampleModel({ suspiciousLogins: [{ ...login, userName: 'Dara Lovelace', ipAddress: ip }] }),
    );
    const lines = text.split('\n');
    // The section's row, not the line of the findings ranked at the top (`1. ...`).
    const at = lines.findIndex((l) => l.includes('Dara Lovelace') && !/^\d+\. /.test(l));
    expect(lines[at]).toMatch(/Dara Lovelace \(103\) {2}unusual hour$/);
    expect(lines[at + 1]).toBe(`    IP ${ip} (${login.network})`);
    expect(lines[at]?.length).toBeLessThanOrEqual(TEXT_WIDTH);
  });

  it('keeps a short one on one line', () => {
    // Without a network to name: with one, the address and its network take the next line.
    const lines = renderText(sampleModel({ suspiciousLogins: [{ ...login, network: null }] })).split('\n');
    expect(lines.find((l) => l.includes('Grace Hopper') && !/^\d+\. /.test(l))).toMatch(
      /unusual hour {2}IP 198\.51\.100\.7$/,
    );
  });
});

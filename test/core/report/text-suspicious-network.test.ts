/**
 * Review R-A11Y M3: the HTML names the /24 or /48 network of each suspicious login; the text part,
 * a full alternative for a reader who prefers it, named it only where the evidence did.
 */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import { sampleModel } from './model-fixture.ts';

describe("the text part's suspicious logins", () => {
  it('name the network of every login the HTML names it for, and none where it has none', () => {
    const base = sampleModel();
    const [first] = base.suspiciousLogins;
    if (!first) throw new Error('the fixture has a suspicious login');
    const model = sampleModel({
      suspiciousLogins: [
        first,
        {
          ...first,
          reason: 'new_country',
          ipAddress: '2607:fb90:d83:1::5',
          network: '2607:fb90:d83::/48',
          evidence: 'first login from DE',
        },
        { ...first, ipAddress: '203.0.113.9', network: null, evidence: 'first login at this hour' },
      ],
    });
    const text = renderText(model).replace(/\s+/g, ' ');
    const html = renderHtml(model, 'subject').replace(/\s+/g, ' ');
    for (const [ip, network] of [
      ['198.51.100.7', '198.51.100.0/24'],
      ['2607:fb90:d83:1::5', '2607:fb90:d83::/48'],
    ]) {
      expect(html).toContain(`IP ${ip} (${network})`);
      expect(text).toContain(`IP ${ip} (${network})`);
    }
    expect(text).toMatch(/IP 203\.0\.113\.9 (?!\()/);
  });
});

/**
 * A /24 (or an owner) whose failures came from one address repeated that address's row of "By
 * address" under "By network" (the 1M-event week: `IP 18.230.251.220` and `network
 * 18.230.251.0/24`, 15 users, 19 failed logins each), reading as a second spray. It is named in a
 * line instead; networks of several addresses keep their rows.
 */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { FailedLoginAddress, FailedLoginNetwork } from '../../../functions/core/report/report-model.ts';
import { sampleModel } from './model-fixture.ts';

const spray: FailedLoginAddress = {
  ipAddress: '18.230.251.220',
  users: 15,
  failedAttempts: 19,
  firstFailure: '2026-11-20 03:25:10.000',
  lastFailure: '2026-11-20 03:29:40.000',
  country: 'BR',
  asn: 16509,
  org: 'Amazon.com, Inc.',
};
const itsNetwork: FailedLoginNetwork = {
  kind: 'network',
  group: '18.230.251.0/24',
  org: null,
  users: 15,
  failedAttempts: 19,
  addresses: 1,
  signIns: 0,
  signedInUsers: 0,
  kindRows: 1,
};
const owner: FailedLoginNetwork = {
  ...itsNetwork,
  kind: 'owner',
  group: 'AS16509',
  org: 'Amazon.com, Inc.',
  users: 16,
  failedAttempts: 26,
  addresses: 2,
};

const model = (networks: FailedLoginNetwork[], addresses = [spray]) =>
  sampleModel({ failedLoginAddresses: addresses, failedLoginNetworks: networks });

describe('a network of a single address', () => {
  it('is no row of By network in the HTML, but named in a line, beside a network of two', () => {
    const html = renderHtml(model([itsNetwork, owner]), 'subject');
    const byNetwork = html.slice(html.indexOf('>By network<'), html.indexOf('>By user<'));
    expect(byNetwork).not.toContain('<b>network 18.230.251.0/24</b>');
    expect(byNetwork).toContain('<b>AS16509 Amazon.com, Inc.</b>');
    expect(byNetwork).toContain(
      'Not repeated here, each of a single address (By address): network 18.230.251.0/24.',
    );
  });

  it('is no row of By network in the text part either', () => {
    const text = renderText(model([itsNetwork, owner]));
    expect(text).not.toContain('- network 18.230.251.0/24:');
    expect(text).toContain('- AS16509 Amazon.com, Inc.: 16 users');
    expect(text).toContain('Not repeated here, each of a single address (By address): network');
  });

  it('keeps its row when no address is listed By address', () => {
    const text = renderText(model([itsNetwork], []));
    expect(text).toContain('- network 18.230.251.0/24: 15 users');
    expect(text).not.toContain('Not repeated here');
  });
});

import { describe, expect, it } from 'vitest';
import { type Alert, type AlertKind, alertId } from '../../../functions/core/alerts/alert.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { GEO_ATTRIBUTION } from '../../../functions/core/geo/country-names.ts';
import { lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { ATTRIBUTION_HREFS, ATTRIBUTION_HTML } from '../../support/geo-credit-html.ts';
import { textWords } from '../../support/text-part.ts';

// The geo data's licence (CC BY 4.0; DB-IP's terms: "provided you give attribution to DB-IP.com for
// the data") applies wherever its places are shown: the alerts mail too, not only the weekly report.

const NOW = Date.parse('2026-11-18T15:00:00Z');
const options = { instance: 'acme', timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 };

const alertOf = (kind: AlertKind, evidence: string): Alert => ({
  id: alertId('acme', kind, ['e1']),
  instance: 'acme',
  kind,
  user_id: '42',
  user_name: 'Ann',
  event_time: lakeTimestamp(NOW - 30 * 60_000),
  event_time_ms: NOW - 30 * 60_000,
  evidence,
  ip_address: '203.0.113.7',
  event_ids: ['e1'],
});

describe('the alerts mail credits the geo data', () => {
  it.each([
    ['new_country', 'first login from JP (Japan)'],
    ['new_network', 'first login from network owner AS16509 (Amazon.com, Inc.)'],
    ['impossible_travel', 'US to JP in 1 h (10,800 km)'],
  ] as const)('when it lists a %s alert, in both parts', (kind, evidence) => {
    const message = renderAlertMessage([alertOf(kind, evidence)], options);
    expect(textWords(message.text)).toContain(GEO_ATTRIBUTION);
    expect(message.html).toContain(ATTRIBUTION_HTML);
  });

  // Review R-GEO L3: DB-IP's terms ask a page that shows its data for a link back to db-ip.com,
  // RouteViews' and the NRO's for attribution to routeviews.org and nro.net.
  it('links each source in the HTML part, and names the addresses in the text part', () => {
    const message = renderAlertMessage([alertOf('new_country', 'first login from JP (Japan)')], options);
    const hrefs = [...message.html.matchAll(/<a href="([^"]*)">/g)].map((m) => m[1]);
    expect(hrefs).toEqual(ATTRIBUTION_HREFS);
    expect(message.html.match(/<a\s/g)).toHaveLength(ATTRIBUTION_HREFS.length);
    for (const href of ATTRIBUTION_HREFS) expect(textWords(message.text)).toContain(`(${href})`);
  });

  // Review R-LOOKB F2: a version is read from the lake and shown as it is when it does not parse.
  it('defangs a geo version from the lake that holds an address, in both parts, and links only the sources', () => {
    const alert = {
      ...alertOf('new_country', 'first login from JP (Japan)'),
      geo_db_version: 'see https://evil.example/x',
    };
    const message = renderAlertMessage([alert], options);
    expect(message.text).toContain('see https[:]//evil.example/x');
    expect(message.text).not.toContain('https://evil.example');
    expect(message.html).not.toContain('https://evil.example');
    const hrefs = [...message.html.matchAll(/<a href="([^"]*)">/g)].map((m) => m[1]);
    expect(hrefs).toEqual(ATTRIBUTION_HREFS);
  });

  it('not when no listed alert names a place', () => {
    const message = renderAlertMessage(
      [alertOf('lockout', 'locked out after 6 failed logins'), alertOf('unusual_hour', 'login at 03:10')],
      options,
    );
    expect(textWords(message.text)).not.toContain('DB-IP');
    expect(message.html).not.toContain('DB-IP');
  });
});

/** The expected-activity list as cdk.json and the command's file write it: checked rule by rule. */
import { describe, expect, it } from 'vitest';
import { parseExpectedActivity, ruleInput } from '../../../functions/core/alerts/expected-activity.ts';

const one = (rule: Record<string, unknown>) => parseExpectedActivity([rule])[0];

describe('the expected-activity list', () => {
  it('reads each key, a value alone or a list, and keeps its place and name', () => {
    const [vpn, trip] = parseExpectedActivity([
      { name: 'office VPN', ip: ['203.0.113.0/24', '2001:db8:1::/48'], reason: 'VPN exits' },
      {
        kind: ['new_country', 'impossible_travel'],
        user: ' 42 ',
        country: 'jp',
        reason: 'Ann in Tokyo',
        until: '2026-12-20',
      },
    ]);
    expect(vpn).toMatchObject({ rule: 1, name: 'office VPN', reason: 'VPN exits' });
    expect(vpn?.ips?.map((r) => r.text)).toEqual(['203.0.113.0/24', '2001:db8:1::/48']);
    expect(trip).toMatchObject({
      rule: 2,
      kinds: ['new_country', 'impossible_travel'],
      users: ['42'],
      countries: ['JP'],
      until: '2026-12-20',
      untilMs: Date.parse('2026-12-21T00:00:00Z') - 1,
    });
    expect(parseExpectedActivity([])).toEqual([]);
  });

  it('reads a date and time with its zone as that instant', () => {
    expect(
      one({ kind: 'unusual_hour', user: '7', reason: 'r', until: '2026-12-20T18:00:00+01:00' })?.untilMs,
    ).toBe(Date.parse('2026-12-20T17:00:00Z'));
  });

  it('gives a rule back as written, so the function reads the same list', () => {
    const written = [
      {
        name: 'n',
        kind: ['new_network'],
        user: ['7'],
        ip: ['52.95.0.0/16'],
        country: ['US'],
        reason: 'r',
        until: '2027-01-01',
      },
    ];
    const rules = parseExpectedActivity(written);
    expect(rules.map(ruleInput)).toEqual(written);
    expect(parseExpectedActivity(JSON.parse(JSON.stringify(rules.map(ruleInput))))).toEqual(rules);
  });

  it('refuses a rule without a reason, naming the rule and why it needs one', () => {
    expect(() =>
      parseExpectedActivity([
        { kind: 'unusual_hour', user: '7', reason: 'ok' },
        { name: 'cloud', user: '7' },
      ]),
    ).toThrow(
      'expected-activity rule 2 ("cloud"): has no "reason": say why this activity is expected (it is logged with every alert the rule quiets)',
    );
    expect(() => one({ user: '7', reason: '  ' })).toThrow(
      'expected-activity rule 1: "reason" must be a text of 1 to 200 characters',
    );
  });

  it('refuses an unknown kind, with the one meant when only its spelling differs', () => {
    expect(() => one({ kind: 'new-country', reason: 'r' })).toThrow(
      '"kind" "new-country" is not an alert kind (did you mean "new_country"?): use one of impossible_travel, new_country, new_network, unusual_hour, privileged_change',
    );
    expect(() => one({ kind: 'brute_force', reason: 'r' })).toThrow(
      /"brute_force" is not an alert kind: use one of impossible_travel, new_country, new_network, unusual_hour, privileged_change, bulk_export, activity_after_deactivation$/,
    );
    // Only the kinds the list takes are suggested: a failure kind would be refused next (review R-MUTE5 L3).
    expect(() => one({ kind: 'Lockout', reason: 'r' })).toThrow(
      /^expected-activity rule 1: "kind" "Lockout" is not an alert kind: use one of impossible_travel/,
    );
  });

  it('refuses a bad address or network, naming the rule', () => {
    expect(() => one({ ip: '10.1.2.3/8', reason: 'r' })).toThrow(
      'expected-activity rule 1: "10.1.2.3/8" has bits set past its /8: write the network as 10.0.0.0/8',
    );
    expect(() => one({ ip: 'vpn.corp', reason: 'r' })).toThrow(
      /rule 1: "vpn.corp" is not an IPv4 or IPv6 address or network/,
    );
  });

  it('refuses a bad until: not a date, a day not in the calendar, a time without its zone', () => {
    expect(() => one({ kind: 'unusual_hour', user: '7', reason: 'r', until: 'next week' })).toThrow(
      '"next week" is not an ISO date or date and time with its zone: write 2026-12-31 (through that day, UTC) or 2026-12-31T18:00:00Z',
    );
    expect(() => one({ kind: 'unusual_hour', user: '7', reason: 'r', until: '2026-02-30' })).toThrow(
      '"2026-02-30" is not a day of the calendar',
    );
    expect(() =>
      one({ kind: 'unusual_hour', user: '7', reason: 'r', until: '2026-02-30T10:00:00Z' }),
    ).toThrow(/is not a time of the calendar/);
    expect(() => one({ kind: 'unusual_hour', user: '7', reason: 'r', until: '2026-12-31T18:00:00' })).toThrow(
      /with its zone/,
    );
  });

  it('refuses a rule that matches on nothing, an unknown key, a bad country, a list that is not one', () => {
    expect(() => one({ reason: 'r' })).toThrow(
      /names none of kind, user, ip and country: it would quiet every sign-in alert/,
    );
    expect(() => one({ users: ['a'], reason: 'r' })).toThrow(
      '"users" is not a key of a rule (did you mean "user"?)',
    );
    expect(() => one({ country: 'Germany', reason: 'r' })).toThrow(/not a two-letter ISO 3166 code/);
    expect(() => one({ user: [], reason: 'r' })).toThrow(/"user" must hold 1 to 20 values/);
    expect(() => one({ user: true, reason: 'r' })).toThrow(
      /"user" must be a non-empty string or a list of them, not true/,
    );
    // An id written as a number is read as the id; one JSON cannot hold exactly is refused.
    expect(one({ user: [1839254411, '7'], reason: 'r' })?.users).toEqual(['1839254411', '7']);
    expect(() => one({ user: 18392544110000000000, reason: 'r' })).toThrow(
      /is no user id JSON holds exactly: quote it/,
    );
    expect(() => parseExpectedActivity({ kind: 'unusual_hour' })).toThrow(/must be a JSON array of rules/);
    expect(() => parseExpectedActivity(['unusual_hour'])).toThrow(/rule 1: must be an object/);
    const many = Array.from({ length: 51 }, () => ({ kind: 'unusual_hour', reason: 'r' }));
    expect(() => parseExpectedActivity(many)).toThrow(/has 51 rules; at most 50/);
  });

  it("refuses a rule without a user that could quiet anyone's sign-ins: kinds alone, a wide network (reviews R-MUTE M6, R-MUTE5 M2)", () => {
    const every = ['impossible_travel', 'new_country', 'new_network', 'unusual_hour'];
    const noUser =
      /names no "user" and no "ip": it would quiet these alerts of every user.*Name the user it is expected of.*no wider than an IPv4 \/24 or an IPv6 \/48/;
    expect(() => one({ kind: every, reason: 'r' })).toThrow(noUser);
    expect(() => one({ kind: ['new_country', 'new_network', 'impossible_travel'], reason: 'r' })).toThrow(
      noUser,
    );
    expect(() => one({ kind: 'new_country', reason: 'r' })).toThrow(noUser);
    const wide =
      /is wider than an IPv(4|6) \/(24|48) and the rule names no "user".*a cloud block anyone can rent.*Name the user it is expected of.*or a narrower network/;
    expect(() => one({ ip: '52.0.0.0/8', reason: 'r' })).toThrow(wide);
    expect(() => one({ ip: '2600:1f18::/32', reason: 'r' })).toThrow(wide);
    expect(() => one({ ip: ['203.0.113.0/24', '52.95.0.0/23'], kind: 'new_network', reason: 'r' })).toThrow(
      /"52\.95\.0\.0\/23" is wider than an IPv4 \/24/,
    );
    expect(() => one({ ip: '2a02:8010:6000::/47', reason: 'r' })).toThrow(/wider than an IPv6 \/48/);
    // With a user, or a network of an office's size, the rule stands.
    expect(() => one({ kind: every, ip: '52.95.0.0/24', reason: 'r' })).not.toThrow();
    expect(() => one({ ip: ['81.2.69.0/24', '2a02:8010:6000::/48'], reason: 'r' })).not.toThrow();
    expect(() => one({ kind: 'new_country', user: '7', reason: 'r' })).not.toThrow();
    expect(() => one({ ip: '52.0.0.0/8', user: '7', reason: 'r' })).not.toThrow();
    // Teredo and NAT64 carry an IPv4 address in their last 32 bits: a /104 there is an IPv4 /8,
    // all of AWS's 52.0.0.0/8 here; a /120 is an IPv4 /24 (review R-MUTE6).
    for (const [carried, carrier] of [
      ['64:ff9b::3400:0/104', 'NAT64'],
      ['64:ff9b::3400:0/119', 'NAT64'],
      ['2001:0:4136:e378:8000:63bf:cb00:0/104', 'Teredo'],
      ['2001:0:4136:e378:8000:63bf:cbff:fe00/119', 'Teredo'],
    ]) {
      expect(() => one({ ip: ['81.2.69.0/24', carried], reason: 'r' }), carried).toThrow(
        new RegExp(
          `"ip" "${carried}" is within ${carrier} .*wider than a /120 \\(an IPv4 /24 there\\) and the rule names no "user".*Name the user it is expected of`,
        ),
      );
      expect(() => one({ ip: carried, user: '7', reason: 'r' }), carried).not.toThrow();
    }
    expect(() => one({ ip: '64:ff9b::3400:0/120', reason: 'r' })).not.toThrow();
    expect(() => one({ ip: '2001:0:4136:e378:8000:63bf:cbff:ff00/120', reason: 'r' })).not.toThrow();
    // Networks each within the floor but together wider than it (review R-MUTE5 L9).
    expect(() => one({ user: '7', ip: ['10.0.0.0/8', '11.0.0.0/8'], reason: 'r' })).toThrow(
      /rule 1: "ip" holds more IPv4 addresses together than one \/8/,
    );
    expect(() => one({ ip: ['0.0.0.0/0', '::/0'], reason: 'r' })).toThrow(
      /rule 1: "0\.0\.0\.0\/0" is wider than an IPv4 \/8/,
    );
  });

  it('refuses a rule naming a failure kind: those alerts are always sent (review R-MUTE4)', () => {
    expect(() =>
      parseExpectedActivity([
        { kind: 'new_country', user: '7', reason: 'r' },
        { name: 'backup', kind: ['lockout', 'new_network'], ip: '52.95.0.0/16', reason: 'r' },
      ]),
    ).toThrow(
      'expected-activity rule 2 ("backup"): "kind" names lockout: failed sign-ins, lockouts, password sprays and logins after them are never quieted, since a forged forwarded-for address could hide an attack behind an expected one. Remove that kind from the rule; the list quiets impossible_travel, new_country, new_network, unusual_hour',
    );
    expect(() =>
      one({ kind: ['failed_login_burst', 'password_spray'], ip: '52.95.0.0/16', reason: 'r' }),
    ).toThrow(/"kind" names failed_login_burst, password_spray: .*Remove those kinds from the rule/);
    // A sign-in right after failures is an attack's outcome: never quieted either.
    expect(() => one({ kind: 'login_after_failures', user: '7', reason: 'r' })).toThrow(
      /"kind" names login_after_failures: failed sign-ins, lockouts, password sprays and logins after them are never quieted/,
    );
  });

  it('refuses a country the geo data never gives, with the code meant (review R-MUTE M5)', () => {
    expect(() => one({ user: '7', country: 'UK', reason: 'r' })).toThrow(
      '"country" "UK" is no country the geo data places addresses in (did you mean "GB"?)',
    );
    expect(() => one({ user: '7', country: 'XX', reason: 'r' })).toThrow(
      /"XX" is no country the geo data places addresses in: write/,
    );
    expect(one({ user: '7', country: ['gb', 'UM'], reason: 'r' })?.countries).toEqual(['GB', 'UM']);
  });

  it('refuses a user id that names no user, and private networks with a country (review R-MUTE2 E)', () => {
    expect(() => one({ user: '0', reason: 'r' })).toThrow(
      /"user" "0" names no user: Domo writes it for "no id"/,
    );
    expect(() => one({ user: ['42', 0], reason: 'r' })).toThrow(/"user" "0" names no user/);
    expect(() => one({ user: ' 0 ', reason: 'r' })).toThrow(/names no user/);
    expect(() => one({ user: '00', reason: 'r' })).toThrow(
      /"user" "00" starts with 0.*as the alerts show it$/,
    );
    const privateOnly =
      /"ip" names only private networks \(10\.0\.0\.0\/8, fd00::\/32\), whose addresses the geo data never places/;
    expect(() => one({ user: '42', ip: ['10.0.0.0/8', 'fd00::/32'], country: 'US', reason: 'r' })).toThrow(
      privateOnly,
    );
    expect(() => one({ user: '42', ip: '192.168.1.0/24', country: 'US', reason: 'r' })).toThrow(
      /only private/,
    );
    expect(
      one({ user: '42', ip: ['10.0.0.0/9', '52.95.0.0/16'], country: 'US', reason: 'r' })?.ips,
    ).toHaveLength(2);
    expect(one({ user: '42', ip: '10.0.0.0/8', reason: 'r' })?.ips).toHaveLength(1);
  });

  it("refuses a country without a user: it would quiet every user's sign-ins from there (review R-MUTE2 C)", () => {
    const refused = /has a "country" and no "user": it would quiet the new country, new network/;
    expect(() => one({ country: 'US', reason: 'r' })).toThrow(refused);
    expect(() => one({ country: 'US', kind: 'new_country', reason: 'r' })).toThrow(refused);
    expect(() => one({ country: 'US', reason: 'r' })).toThrow(/Name the user it is expected of/);
    // A narrow network beside it does not help: the country still widens nothing, drop it.
    expect(() => one({ country: 'US', ip: '81.2.69.0/24', reason: 'r' })).toThrow(
      /drop "country" and match the addresses by "ip", a network no wider than an IPv4 \/24/,
    );
    expect(one({ user: '7', country: 'US', reason: 'r' })?.countries).toEqual(['US']);
  });

  it('refuses a user that is not an id: sign-in alerts are matched by the id only (review R-MUTE M5)', () => {
    expect(() => one({ user: 'svc-backup', kind: ['new_country', 'unusual_hour'], reason: 'r' })).toThrow(
      /"user" "svc-backup" is not a user id: the list quiets sign-in alerts only.*write the id/,
    );
    expect(() => one({ user: ['1839254411', 'svc-backup'], reason: 'r' })).toThrow(
      /"svc-backup" is not a user id/,
    );
    expect(() => one({ user: ['1839254411', 42], kind: 'new_country', reason: 'r' })).not.toThrow();
    // Domo's ids carry no leading zero: such a value could never match (review R-MUTE5 L2).
    expect(() => one({ user: '01839254411', reason: 'r' })).toThrow(
      /"user" "01839254411" starts with 0: Domo's user ids are numbers.*could never match\. Write the id as the alerts show it: "1839254411"/,
    );
  });
});

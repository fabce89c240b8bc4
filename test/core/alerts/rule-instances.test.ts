/**
 * An expected-activity rule's `instance`: a Domo user id is one instance's own, so a rule written
 * for Ann Lee (1839254411) in instance `main` must not quiet the sign-ins of whoever holds that id
 * in `sales`. The rule names its instances, every given key must match, and a `user` without an
 * `instance` is refused where there are several instances.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import { newAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import {
  expectedActivityJson,
  parseExpectedActivity,
} from '../../../functions/core/alerts/expected-activity.ts';
import { quietAlerts } from '../../../functions/core/alerts/quiet-alerts.ts';
import { boundQuietedArchive } from '../../../functions/core/alerts/quieted-archive-bound.ts';
import { appliesToInstance, assertRuleInstances } from '../../../functions/core/alerts/rule-instances.ts';
import { alertOf } from './support/alert-fixtures.ts';

const NOW = Date.parse('2026-12-06T01:00:00Z');
const ANN = '1839254411';
const TOKYO = '133.242.0.1';
const SCOPE = { instances: ['main', 'sales'], where: 'of the stack', otherFix: 'or add it' };

const annInTokyo = (instance: string): Alert =>
  alertOf({
    id: `${instance}-alert`.padEnd(32, '0'),
    instance,
    kind: 'new_country',
    user_id: ANN,
    ip_address: TOKYO,
    addresses: [{ ip: TOKYO, country: 'JP' }],
  });

const quietedIn = (rules: unknown, instance: string): boolean => {
  const alert = annInTokyo(instance);
  return quietAlerts([alert], parseExpectedActivity(rules), NOW).quietedBy.has(alert.id);
};

describe("an expected-activity rule's instance", () => {
  it('quiets the alerts of the instances it names only, every other key still to match', () => {
    const rule = { instance: 'main', user: ANN, country: 'JP', reason: 'Ann in Tokyo' };
    expect(quietedIn([rule], 'main')).toBe(true);
    // The same id in another instance is another person.
    expect(quietedIn([rule], 'sales')).toBe(false);
    expect(quietedIn([{ ...rule, instance: ['sales', 'main'] }], 'sales')).toBe(true);
    expect(quietedIn([{ ...rule, instance: ['main'], country: 'KR' }], 'main')).toBe(false);
    const office = { ip: '133.242.0.0/24', reason: 'Tokyo office' };
    expect(quietedIn([{ ...office, instance: 'main' }], 'sales')).toBe(false);
    // No instance: every instance, an address meaning the same in each.
    expect(quietedIn([office], 'sales')).toBe(true);
  });

  it('is a name or a list of names an instance may have, and makes no rule alone', () => {
    const parse = (rule: Record<string, unknown>) => () =>
      parseExpectedActivity([{ user: ANN, reason: 'r', ...rule }]);
    expect(parse({ instance: ['main', 'sales'] })()[0]?.instances).toEqual(['main', 'sales']);
    expect(parse({ instance: 'Main' })).toThrow(
      /expected-activity rule 1: "instance": instance name "Main" is not valid: use 1-63 lower-case letters/,
    );
    expect(parse({ instance: [] })).toThrow(/"instance" must hold 1 to 20 values/);
    expect(parse({ instance: ['main', 'main'] })).toThrow(/"instance" names an instance twice/);
    expect(parse({ instances: 'main' })).toThrow(
      /"instances" is not a key of a rule \(did you mean "instance"\?\)/,
    );
    expect(() => parseExpectedActivity([{ instance: 'main', reason: 'r' }])).toThrow(
      /names none of kind, user, ip and country/,
    );
  });

  it('refuses an instance not configured, listing those that are, with the one meant', () => {
    const rules = parseExpectedActivity([
      { ip: '133.242.0.0/24', reason: 'office' },
      { name: 'Ann', instance: ['main', 'slaes'], user: ANN, reason: 'r' },
    ]);
    expect(() => assertRuleInstances(rules, SCOPE)).toThrow(
      'expected-activity rule 2 ("Ann"): "instance" "slaes" is not an instance of the stack (did you mean "sales"?), which has "main" and "sales": name one of them (or a list of them), or add it',
    );
  });

  it('names every rule it refuses in one message, a long list cut short', () => {
    const users = Array.from({ length: 12 }, (_, i) => ({ user: `${100 + i}`, reason: 'r' }));
    const rules = parseExpectedActivity([
      { name: 'typo', instance: 'mian', user: ANN, reason: 'r' },
      ...users.slice(0, 2),
      { ip: '133.242.0.0/24', reason: 'office' },
      ...users.slice(2),
    ]);
    const problem = () => assertRuleInstances(rules, SCOPE);
    expect(problem).toThrow(
      /^expected-activity rule 1 \("typo"\): "instance" "mian" is not an instance of the stack \(did you mean "main"\?\).*; expected-activity rules 2, 3, 5, 6, 7, 8, 9, 10, 11, 12 and 2 more: each name a "user" but no "instance", and there are 2 instances of the stack \("main" and "sales"\): .* so each rule would quiet/,
    );
    const typos = parseExpectedActivity(
      Array.from({ length: 13 }, (_, i) => ({ instance: `x${i}`, ip: '133.242.0.0/24', reason: 'r' })),
    );
    expect(() => assertRuleInstances(typos, SCOPE)).toThrow(
      /expected-activity rule 10: "instance" "x9" .*; and 3 more rules name an instance not of the stack$/,
    );
    const two = parseExpectedActivity(users.slice(0, 2));
    expect(() => assertRuleInstances(two, SCOPE)).toThrow(
      /^expected-activity rules 1 and 2: each name a "user"/,
    );
  });

  it('refuses a user without an instance where there are several, naming them; one instance needs none', () => {
    const rules = parseExpectedActivity([{ user: ANN, country: 'JP', reason: 'Ann in Tokyo' }]);
    expect(() => assertRuleInstances(rules, SCOPE)).toThrow(
      /^expected-activity rule 1: names a "user" but no "instance", and there are 2 instances of the stack \("main" and "sales"\): a Domo user id is one instance's own.*Add the instance the user is in, e.g. "instance": "main"/,
    );
    expect(() => assertRuleInstances(rules, { ...SCOPE, instances: ['main'] })).not.toThrow();
    const office = parseExpectedActivity([{ ip: '133.242.0.0/24', reason: 'office' }]);
    expect(() => assertRuleInstances(office, SCOPE)).not.toThrow();
  });

  it("travels to one instance's function as that instance's rules, each at its place", () => {
    const rules = parseExpectedActivity([
      { instance: 'sales', user: '7', reason: 'sales only' },
      { ip: '133.242.0.0/24', reason: 'office' },
      { instance: ['main', 'sales'], user: ANN, reason: 'both' },
    ]);
    const carried = expectedActivityJson(rules, 'main');
    // The sales rule's text is not carried to main's function, only its place.
    expect(carried).not.toContain('sales');
    expect(carried.length).toBeLessThan(expectedActivityJson(rules).length);
    const read = parseExpectedActivity(JSON.parse(carried), { elided: true });
    expect(read.map((r) => [r.rule, r.reason, r.instances])).toEqual([
      [2, 'office', undefined],
      [3, 'both', ['main']],
    ]);
    expect(() => assertRuleInstances(read, { ...SCOPE, instances: ['main'] })).not.toThrow();
    // What an operator writes takes no placeholder.
    expect(() => parseExpectedActivity(JSON.parse(carried))).toThrow(
      /expected-activity rule 1: must be an object/,
    );
    expect(rules.filter((r) => appliesToInstance(r, 'main')).map((r) => r.rule)).toEqual([2, 3]);
  });

  it('is part of what the archive bound counts a rule by: a rule given one counts afresh', () => {
    const keys = (rules: unknown): string[] => {
      const parsed = parseExpectedActivity(rules);
      const alert = annInTokyo('main');
      const checkpoint = newAlertCheckpoint('main', NOW);
      boundQuietedArchive(checkpoint, quietAlerts([alert], parsed, NOW), NOW);
      return Object.keys(checkpoint.quieted_archived?.rules ?? {});
    };
    const rule = { user: ANN, country: 'JP', reason: 'Ann in Tokyo' };
    expect(keys([rule])).not.toEqual(keys([{ ...rule, instance: 'main' }]));
    expect(keys([{ ...rule, instance: 'main' }])).toEqual(keys([{ ...rule, instance: ['main'] }]));
  });
});

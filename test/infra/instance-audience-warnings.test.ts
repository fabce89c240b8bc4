import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  ALERTS_TO_ONE_INSTANCE,
  DOMO_CUSTOMER_UNSET,
  EXPECTED_IP_EVERY_INSTANCE,
  REPORT_FALLBACK_SHARED,
  warnOfSharedAudiences,
} from '../../infra/instance-audience-warnings.ts';
import { configWith } from './synth-helpers.ts';
import { uncheckedApp } from './unchecked-app.ts';

const warningsOf = (stack: Stack, id: string): string[] =>
  Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp(id))
    .map((w) => String(w.entry.data));

const warned = (overrides: Record<string, unknown>): Stack => {
  const stack = new Stack(uncheckedApp(), 'Warned');
  warnOfSharedAudiences(stack, configWith(overrides));
  return stack;
};

const REPORT = { enabled: true, sender: 'reports@msp-ops.com', recipients: [] as string[] };
const ALERTS = { enabled: true, sender: 'alerts@msp-ops.com', recipients: ['soc@msp-ops.com'] };
/** An MSP's customers, each with its report recipients and its Domo customer. */
const CUSTOMERS = [
  { name: 'acme', domoCustomer: 'acme-corp', report: { recipients: ['it@acme-corp.com'] } },
  { name: 'globex', domoCustomer: 'globex-inc', report: { recipients: ['sec@globex-inc.com'] } },
];

describe('a stack of several customers: mail that may reach another customer (review R-MSP)', () => {
  it('says nothing of customers each with their own recipients, customer, and the operator on alerts', () => {
    const stack = warned({ instances: CUSTOMERS, report: REPORT, alerts: ALERTS });
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  // H2: an instance added later without its report block gets report.recipients, silently.
  it('warns of an instance whose report falls back to report.recipients beside instances with their own', () => {
    const stack = warned({
      instances: [...CUSTOMERS, { name: 'wayne', domoCustomer: 'wayne-ent' }],
      report: { ...REPORT, recipients: ['it@acme-corp.com'] },
    });
    expect(warningsOf(stack, REPORT_FALLBACK_SHARED)).toEqual([
      expect.stringContaining(
        'the weekly report of "wayne" goes to report.recipients (it@acme-corp.com), while "acme", "globex" have recipients of their own',
      ),
    ]);
    // One company's instances all on report.recipients: no audiences per instance, nothing said.
    const one = warned({
      instances: [{ name: 'a' }, { name: 'b' }],
      report: { ...REPORT, recipients: ['it@acme-corp.com'] },
    });
    expect(warningsOf(one, REPORT_FALLBACK_SHARED)).toEqual([]);
  });

  // H3: a customer's address on alerts gets every customer's alerts.
  it("warns of an alerts address that is one instance's report audience only", () => {
    const stack = warned({
      instances: CUSTOMERS,
      report: REPORT,
      alerts: { ...ALERTS, recipients: ['soc@msp-ops.com', 'IT@acme-corp.com'] },
    });
    expect(warningsOf(stack, ALERTS_TO_ONE_INSTANCE)).toEqual([
      expect.stringContaining(
        'alerts of every instance, "globex" too, go to it@acme-corp.com (alerts.recipients or alerts.email), which receives the weekly report of "acme" only',
      ),
    ]);
    // The way out it offers is the filtered subscription, not a stack of the customer's own.
    expect(warningsOf(stack, ALERTS_TO_ONE_INSTANCE)[0]).toContain(
      'subscribe it to the alerts topic filtered on its instance',
    );
  });

  // H1: each first run binds whichever customer its secret names.
  it('warns of instances with their own recipients but no domoCustomer', () => {
    const stack = warned({
      instances: CUSTOMERS.map(({ domoCustomer: _, ...instance }, i) => (i === 0 ? instance : CUSTOMERS[i])),
      report: REPORT,
    });
    expect(warningsOf(stack, DOMO_CUSTOMER_UNSET)).toEqual([
      expect.stringContaining('"acme" have report recipients of their own but no instances[].domoCustomer'),
    ]);
  });

  // L5: one customer's office network quiets every customer's sign-in alerts.
  it('warns of an address rule without user or instance in a stack of several instances', () => {
    const expected = [
      { ip: '81.2.69.0/24', reason: 'acme head office VPN' },
      { ip: '81.2.70.0/24', instance: 'acme', reason: 'acme branch' },
    ];
    const stack = warned({ instances: CUSTOMERS, report: REPORT, alerts: { ...ALERTS, expected } });
    expect(warningsOf(stack, EXPECTED_IP_EVERY_INSTANCE)).toEqual([
      expect.stringContaining('alerts.expected rule 1 names addresses but no user and no instance'),
    ]);
  });
});

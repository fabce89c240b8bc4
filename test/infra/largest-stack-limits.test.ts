import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { QUERIES_DIR, queryNames } from '../../functions/queries/catalog.ts';
import { ActivityLakeStack } from '../../infra/activity-lake-stack.ts';
import { MAX_INSTANCES, STACK_NAME_MAX } from '../../infra/config/config-fields.ts';
import { ALARMS_PER_STATUS_WIDGET } from '../../infra/constructs/alarm-status-widgets.ts';
import { deployedPolicyBytes } from '../../infra/constructs/policy-size.ts';
import { TEMPLATE_MAX_BYTES } from '../../infra/template-size-limit.ts';
import { cfnText, configWith, newTestApp, TEST_ENV, TEST_NOW } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/** IAM refuses a managed policy over 6,144 characters (whitespace not counted), at deploy. */
const MANAGED_POLICY_MAX = 6144;
/** IAM refuses a role whose inline policies together exceed 10,240 characters, at deploy. */
const ROLE_INLINE_POLICIES_MAX = 10240;

/**
 * The largest stack the config accepts: every instance name at its 63-character maximum (each
 * grant names them), 50 recipients for the report and the alerts (each is a sandbox identity the
 * sending roles may send to), `address(local, i)` each, and the longest stack name, which every
 * alarm's name and metric dimensions carry (~1 KB of template per character). Built as
 * infra/activity-lake-app.ts builds it: the stack's id is the config's stackName.
 */
function largestStack(
  address = (local: string, i: number) => `${local}${i}@acme-co.com`,
  reportAddress = address,
  more: Record<string, unknown> = {},
) {
  const instances = Array.from({ length: MAX_INSTANCES }, (_, i) => ({
    name: `i${String(i).padStart(2, '0')}-${'x'.repeat(59)}`,
  }));
  const to = (local: string, of = address) => Array.from({ length: 50 }, (_, i) => of(local, i));
  const config = configWith({
    stackName: `L${'l'.repeat(STACK_NAME_MAX - 1)}`,
    // The figures measured before synth refused the default names beside a stack name of its own.
    athena: { keepDefaultNames: true },
    instances,
    report: { enabled: true, sender: 'reports@acme-co.com', recipients: to('r', reportAddress) },
    alerts: {
      enabled: true,
      sender: 'alerts@acme-co.com',
      recipients: to('a'),
      // The sign-in judging at its longest figures: each alerts function's settings carry them.
      historyDays: 90,
      minHistoryLogins: 10_000,
      maxSpeedKmh: 20_000,
    },
    ...more,
  });
  const stack = new ActivityLakeStack(newTestApp(), config.stackName, {
    config,
    now: TEST_NOW,
    env: TEST_ENV,
  });
  return { stack, template: Template.fromStack(stack) };
}

/** Synthesized once for all the checks below (a synth of this size is ~2 CPU-s). */
const largest = largestStack();

/**
 * The same with recipients of about the longest addresses each takes, of 50 domains: the alerts'
 * of ~55 characters (in a layer), the report's of up to 40, the longest 50 its function's environment
 * takes (Lambda caps it at 4 KB, checked at synth) beside 20 instance names of 63 characters. Each
 * address and its domain are granted. (The report's ~55 passed the synth before the report
 * function's environment was checked, and would have failed the deploy: 5,095 bytes.)
 */
const LONGEST_ADDRESS = (local: string, i: number) =>
  `${local}${i}@d${String(i).padStart(2, '0')}-${'y'.repeat(40)}.acme-co.org`;
const LONGEST_REPORT_ADDRESS = (local: string, i: number) =>
  `${local}${i}@d${String(i).padStart(2, '0')}-${'y'.repeat(20)}.acme-co.org`;
const longest = largestStack(LONGEST_ADDRESS, LONGEST_REPORT_ADDRESS);

/**
 * The longest stack over a kept lake (`adoptLake`), of a bucket name at S3's 63-character maximum:
 * the name is written out wherever a created lake's is a reference, and the lake's whole policy
 * goes into the put's properties instead of a bucket policy.
 */
const adopted = largestStack(LONGEST_ADDRESS, LONGEST_REPORT_ADDRESS, {
  adoptLake: {
    bucketName: `l${'k'.repeat(62)}`,
    digestKeyArn: `arn:aws:kms:${TEST_ENV.region}:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  },
});

/** IAM attaches at most 10 managed policies to a role (its default quota). */
const ROLE_MANAGED_POLICIES_MAX = 10;

type Doc = { Statement: unknown[] };
type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** Each role's inline policies (its own and the `AWS::IAM::Policy`s attached to it), in deployed bytes. */
function inlineBytesByRole(stack: Stack, resources: Resources): Map<string, number> {
  const inline = new Map<string, number>();
  const add = (role: string, doc: Doc) =>
    inline.set(role, (inline.get(role) ?? 0) + deployedPolicyBytes(stack, doc));
  for (const [id, r] of Object.entries(resources)) {
    const own =
      r.Type === 'AWS::IAM::Role' ? ((r.Properties.Policies ?? []) as { PolicyDocument: Doc }[]) : [];
    for (const p of own) add(id, p.PolicyDocument);
    if (r.Type !== 'AWS::IAM::Policy') continue;
    for (const role of r.Properties.Roles as { Ref: string }[])
      add(role.Ref, r.Properties.PolicyDocument as Doc);
  }
  return inline;
}

/** How many managed policies each role holds: by its `ManagedPolicyArns`, or named in a policy's `Roles`. */
function managedPoliciesByRole(resources: Resources): Map<string, number> {
  const held = new Map<string, number>();
  const hold = (role: string, count: number) => held.set(role, (held.get(role) ?? 0) + count);
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type === 'AWS::IAM::Role') hold(id, ((r.Properties.ManagedPolicyArns ?? []) as unknown[]).length);
    if (r.Type !== 'AWS::IAM::ManagedPolicy') continue;
    for (const role of (r.Properties.Roles ?? []) as { Ref: string }[]) hold(role.Ref, 1);
  }
  for (const [role, count] of held) if (count === 0) held.delete(role);
  return held;
}

describe.each([
  ['recipients of short addresses', largest],
  ['recipients of about the longest addresses', longest],
  ['over a kept lake (adoptLake)', adopted],
])(
  'role policy sizes, %s (IAM refuses an oversized policy at deploy, not at synth)',
  (_name, synthesized) => {
    const { stack, template } = synthesized;
    const resources = template.toJSON().Resources as Resources;

    it(`keeps every managed policy within ${MANAGED_POLICY_MAX} characters at ${MAX_INSTANCES} instances of 63-character names`, () => {
      const managed = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy');
      // The report role's grants do not fit its inline policy at this size: the check must see overflow.
      expect(managed.length).toBeGreaterThan(0);
      for (const [id, r] of managed) {
        expect(deployedPolicyBytes(stack, r.Properties.PolicyDocument as Doc), id).toBeLessThanOrEqual(
          MANAGED_POLICY_MAX,
        );
      }
    });

    it(`keeps each role's inline policies together within ${ROLE_INLINE_POLICIES_MAX} characters`, () => {
      const inline = inlineBytesByRole(stack, resources);
      // The report role, every ingest role and every alerts role are measured.
      const roles = [...inline.keys()];
      expect(roles.filter((id) => id.startsWith('WeeklyReportRole'))).toHaveLength(1);
      expect(roles.filter((id) => id.startsWith('Ingest')).length).toBeGreaterThanOrEqual(MAX_INSTANCES);
      expect(roles.filter((id) => id.startsWith('Alerts')).length).toBeGreaterThanOrEqual(MAX_INSTANCES);
      for (const [role, bytes] of inline) expect(bytes, role).toBeLessThanOrEqual(ROLE_INLINE_POLICIES_MAX);
    });

    it(`attaches at most ${ROLE_MANAGED_POLICIES_MAX} managed policies to a role`, () => {
      const held = managedPoliciesByRole(resources);
      // The report role holds its overflow policies; each alerts role its grant to mail.
      expect(held.size).toBeGreaterThan(MAX_INSTANCES);
      for (const [role, count] of held) expect(count, role).toBeLessThanOrEqual(ROLE_MANAGED_POLICIES_MAX);
    });
  },
);

/** The size of the template `synthesized` writes to cdk.out, in bytes. */
function templateBytes({ stack }: ReturnType<typeof largestStack>): number {
  const assembly = (stack.node.root as App).synth();
  return statSync(assembly.getStackArtifact(stack.artifactId).templateFullPath).size;
}

/** The templates of the nested stacks of saved queries `synthesized` writes, as written. */
function savedQueriesFiles({ stack }: ReturnType<typeof largestStack>): string[] {
  const assembly = (stack.node.root as App).synth();
  return stack.catalog.savedQueries.map((nested) =>
    readFileSync(path.join(assembly.directory, nested.templateFile), 'utf8'),
  );
}

/** A query's SQL without its header's line of parameters, which the saved copy words its own way. */
const withoutParamsLine = (sql: string) => sql.replace(/^-- (params:|values, in the order) .*$/m, '');

describe('template size (CloudFormation refuses an oversized template at deploy, not at synth)', () => {
  it(`writes the largest stack's template within ${TEMPLATE_MAX_BYTES} bytes`, () => {
    // The longest name the config takes, as the app names the stack: each character is ~1 KB.
    expect(largest.stack.stackName).toHaveLength(STACK_NAME_MAX);
    const bytes = templateBytes(largest);
    // 929,087 bytes unindented on 2026-12-07 (844,680 on 2026-12-06), the saved queries in their
    // nested stack (docs/decisions.md).
    expect(bytes).toBeGreaterThan(TEMPLATE_MAX_BYTES / 2);
    expect(bytes).toBeLessThanOrEqual(TEMPLATE_MAX_BYTES);
  });

  it(`writes it within ${TEMPLATE_MAX_BYTES} bytes with recipients of about the longest addresses`, () => {
    const bytes = templateBytes(longest);
    // 971,153 bytes on 2026-12-07 (868,814 on 2026-12-06, F-MULTI2), the alerts' recipients once
    // in the stack (a layer), the saved queries in their nested stack.
    expect(bytes).toBeGreaterThan(templateBytes(largest));
    expect(bytes).toBeLessThanOrEqual(TEMPLATE_MAX_BYTES);
  });

  it(`writes it within ${TEMPLATE_MAX_BYTES} bytes with those recipients over a kept lake (adoptLake)`, () => {
    // The put holds the lake's policy once, as a created lake's bucket policy does: 974,963 bytes
    // on 2026-12-07, 3,810 more than without adoptLake (its function's inline code, the bucket
    // name written out). CDK's AwsCustomResource held it twice, each a JSON string in a JSON
    // string: 1,002,626 bytes, which synth refused.
    adopted.template.resourceCountIs('Custom::AdoptedLakePolicy', 1);
    const bytes = templateBytes(adopted);
    expect(bytes).toBeGreaterThan(templateBytes(longest));
    expect(bytes).toBeLessThanOrEqual(TEMPLATE_MAX_BYTES);
  });

  it(`writes the saved queries' nested templates far within ${TEMPLATE_MAX_BYTES} bytes, each file's SQL once`, () => {
    // Together a little more than the catalog's SQL files (`cat functions/queries/*.sql | wc -c`;
    // docs/queries.md says how to measure them); the config only names the database and
    // workgroup, so the largest config's are every config's. They grow with each query added: in
    // one template they reached 292,948 bytes (2026-12-07), near the 30% of the limit this test
    // allowed; in two halves by name, 20% each leaves room for about as much SQL again
    // (docs/decisions.md).
    const files = savedQueriesFiles(longest);
    const saved = new Map<string, string>();
    for (const text of files) {
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(TEMPLATE_MAX_BYTES * 0.2);
      const resources = Object.values(JSON.parse(text).Resources) as {
        Type: string;
        Properties: { Name: string; QueryString: string };
      }[];
      for (const { Type, Properties } of resources.filter((r) => r.Type === 'AWS::Athena::NamedQuery')) {
        expect(saved.has(Properties.Name), `${Type} ${Properties.Name} saved twice`).toBe(false);
        saved.set(Properties.Name, Properties.QueryString);
      }
    }
    expect(files).toHaveLength(2);
    // Every file of the catalog, saved once, its SQL as the file has it (the params line aside,
    // and the file's last line break).
    const names = queryNames();
    expect([...saved.keys()].sort()).toEqual(names);
    for (const name of names) {
      const file = readFileSync(path.join(QUERIES_DIR, `${name}.sql`), 'utf8');
      expect(withoutParamsLine(saved.get(name) ?? ''), name).toBe(withoutParamsLine(file.trimEnd()));
    }
    // The main template keeps only the alerts' two, beside their table.
    const left = Object.values(longest.template.findResources('AWS::Athena::NamedQuery'));
    expect(left.map((q) => q.Properties.Name).sort()).toEqual(['alert_events', 'recent_security_alerts']);
  });
});

describe('dashboard alarm widgets (CloudWatch refuses one of more than 100 alarms, at deploy)', () => {
  it(`lists the largest stack's alarms ${ALARMS_PER_STATUS_WIDGET} at most to a widget, each once`, () => {
    const [dashboard] = Object.values(largest.template.findResources('AWS::CloudWatch::Dashboard'));
    const { widgets } = JSON.parse(cfnText(dashboard?.Properties.DashboardBody)) as {
      widgets: { type: string; properties: { alarms?: string[] } }[];
    };
    const lists = widgets.filter((w) => w.type === 'alarm').map((w) => w.properties.alarms ?? []);
    for (const alarms of lists) expect(alarms.length).toBeLessThanOrEqual(ALARMS_PER_STATUS_WIDGET);
    const listed = lists.flat();
    // More alarms than one widget takes at this size: the split is what keeps the dashboard deployable.
    expect(listed.length).toBeGreaterThan(ALARMS_PER_STATUS_WIDGET);
    expect(new Set(listed).size).toBe(listed.length);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { GIVEN_UP } from '../../functions/core/domo/http-request.ts';
import { docHeadings } from '../support/doc-headings.ts';
import { EVERY_FEATURE, INSTANCE_ALARMS, SHIPPED_CONFIG, sharedSynth } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/** CloudFormation refuses an AlarmDescription over 1,024 characters. */
const MAX_DESCRIPTION = 1024;

/** Every `docs/<file>.md "<section>"` an alarm description sends its reader to. */
const sectionsQuoted = (description: string) =>
  [...description.matchAll(/docs\/([\w-]+\.md) "([^"]+)"/g)].map(([, file, section]) => ({
    file: file as string,
    section: section as string,
  }));

/** The section of docs/operations.md whose heading starts with `heading`, to the next `###`. */
function operationsSection(heading: string): string {
  const operations = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
  const start = operations.indexOf(heading);
  return operations.slice(start, operations.indexOf('\n### ', start + 1));
}

/**
 * The alarms a section's `aws cloudwatch <command> --alarm-names \` names on its next line, as the
 * test stack calls them (`<stack>` Test, `<instance>` or `<i>` acme).
 */
const alarmsNamed = (section: string, command: string): string[] =>
  [...section.matchAll(new RegExp(String.raw`aws cloudwatch ${command} --alarm-names \\\n\s+(.+)`, 'g'))]
    .flatMap(([, names]) => (names as string).trim().split(/\s+/))
    .map((name) => name.replace('<stack>', 'Test').replace(/<instance>|<i>/, 'acme'));

describe('alarm descriptions', () => {
  const { template } = sharedSynth(EVERY_FEATURE);
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((resource) => ({
    name: String(resource.Properties.AlarmName),
    description: String(resource.Properties.AlarmDescription),
    path: String(resource.Metadata?.['aws:cdk:path'] ?? ''),
  }));

  it('quote only sections that exist: each a heading of the doc it names, exactly', () => {
    const quoted = alarms.flatMap(({ name, description }) =>
      sectionsQuoted(description).map((q) => ({ name, ...q })),
    );
    expect(quoted.length).toBeGreaterThan(0);
    for (const { name, file, section } of quoted) {
      expect(docHeadings(file), `${name} quotes ${file} "${section}"`).toContain(section);
    }
  });

  it('each send their reader to a section of the docs, the alerts alarms too', () => {
    for (const { name, description } of alarms)
      expect(sectionsQuoted(description), `${name}: ${description}`).not.toEqual([]);
  });

  it('name, for every alarm of the monitoring, its runbook section in docs/operations.md', () => {
    const monitoring = alarms.filter(({ path }) => path.includes('/Monitoring/'));
    // The ingest's six per instance, the report's three, NoAlertsEvaluated, FailedInvocations,
    // ScheduledInvocationsLost, LateEventsNearLookback, NoProgress, TwinHours, ShapeChangedHours,
    // Reshaped and ReportCorrectionStuck (one for all instances).
    expect(monitoring.map(({ name }) => name).sort()).toEqual(
      [
        ...INSTANCE_ALARMS.map((n) => `acme-${n}`),
        'ReportErrors',
        'ReportDestinationDeliveryFailures',
        'acme-NoReportSent',
        'acme-NoAlertsEvaluated',
        'FailedInvocations',
        'ScheduledInvocationsLost',
        'LateEventsNearLookback',
        'NoProgress',
        'TwinHours',
        'ShapeChangedHours',
        'Reshaped',
        'ReportCorrectionStuck',
      ]
        .map((n) => `Test-${n}`)
        .sort(),
    );
    for (const { name, description } of monitoring) {
      const sections = sectionsQuoted(description).filter(({ file }) => file === 'operations.md');
      expect(sections, name).toHaveLength(1);
      // The section is the alarm's own: its heading starts with the alarm's name.
      const alarmName = name.replace(/^Test-acme-|^Test-/, '');
      expect(sections[0]?.section, name).toMatch(new RegExp(`^(<instance>-)?${alarmName}: `));
    }
  });

  // An instance's alarm is named after it (`<stack>-<instance>-Lag`), and the notification and the
  // console show the name beside the description: repeated in the description, a 63-character
  // instance name cost ~16 KB of the largest template, which CloudFormation limits.
  it("leave an instance's name to its alarm's name", () => {
    const ofInstance = alarms.filter(({ name }) => name.startsWith('Test-acme-'));
    // The ingest's six, NoReportSent, NoAlertsEvaluated and the alerts' two.
    expect(ofInstance.length).toBe(INSTANCE_ALARMS.length + 4);
    for (const { name, description } of ofInstance) expect(description, name).not.toContain('acme');
  });

  // A run killed by its timeout or its memory counts in Errors without reaching the handler's own
  // log line: the on-call who finds no such line must still be sent to a row that fits (review R-SRE M2).
  it("say a function's errors include runs killed by its timeout or memory, which its runbook covers", () => {
    const errorAlarms = Object.values(
      template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { Namespace: 'AWS/Lambda', MetricName: 'Errors' },
      }),
    ).map((resource) => String(resource.Properties.AlarmDescription));
    // The ingest's, the report's and the alerts'.
    expect(errorAlarms).toHaveLength(3);
    for (const description of errorAlarms) expect(description).toContain('timed out or ran out of memory');
    const operations = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    const start = operations.indexOf('### `<instance>-IngestErrors`');
    const section = operations.slice(start, operations.indexOf('\n### ', start + 1));
    expect(section).toContain('`Task timed out after N seconds`');
    expect(section).toContain('`Runtime.OutOfMemory`');
  });

  // A run that gave up on Domo ends its message with one of GIVEN_UP's sentences; the table is
  // searched by what the message contains, and "Domo could not be reached" (a network error on
  // every attempt) was in no row (review ONCALL M2).
  it('list, in the IngestErrors table, each sentence a run that gave up on Domo ends with', () => {
    const section = operationsSection('### `<instance>-IngestErrors`');
    const ends = [
      GIVEN_UP.unreachable('its address'),
      GIVEN_UP.throttled,
      GIVEN_UP.unavailable,
      GIVEN_UP.silent,
      GIVEN_UP.outOfTime,
      GIVEN_UP.unreadable('its address'),
    ];
    for (const sentence of ends) expect(section).toContain(`\`${sentence.split(':')[0]}\``);
  });

  // A known Domo outage fails every run: FailedInvocations and IngestErrors repeat every 15 minutes
  // until it ends, and the runbook mutes them by name (review R-SRE M4). A name that no alarm has
  // would mute nothing, and one not enabled again would stay mute.
  it('that the Known Domo outage runbook mutes are alarms of the stack, each turned back on', () => {
    const section = operationsSection('### Known Domo outage');
    const named = (command: string) => alarmsNamed(section, command);
    const muted = named('disable-alarm-actions');
    expect(muted.sort()).toEqual(['Test-FailedInvocations', 'Test-acme-IngestErrors']);
    expect(alarms.map(({ name }) => name)).toEqual(expect.arrayContaining(muted));
    expect(named('enable-alarm-actions').sort()).toEqual(muted);
    // Review R-SECOND6 M4: the queue is also LakeGuardWatch's dead-letter queue and holds failed
    // report and alerts runs; a purge after the outage destroyed them unread.
    expect(section).not.toContain('aws sqs purge-queue');
    expect(section).toContain('LakeGuardChanged');
    expect(section).toContain('aws sqs delete-message');
  });

  // Muting one instance by the prefix `<stack>-<i>-` muted every instance whose name begins with
  // `<i>-` too (acme-eu for acme): it could then fail for days unheard (review ONCALL M1).
  it("that the broken credentials runbook mutes that instance's alarms by name, each turned back on", () => {
    const section = operationsSection("### One instance's credentials broken");
    expect(section).not.toContain('--alarm-name-prefix');
    const muted = alarmsNamed(section, 'disable-alarm-actions');
    expect(muted).not.toEqual([]);
    expect(alarms.map(({ name }) => name)).toEqual(expect.arrayContaining(muted));
    for (const name of muted) expect(name).toMatch(/^Test-acme-[A-Za-z]+$/);
    expect(alarmsNamed(section, 'enable-alarm-actions').sort()).toEqual(muted.sort());
  });

  // The failure queue is the only record of a LakeGuardChanged message EventBridge could not
  // publish and the only copy of a failed report's or alerts run's event: a runbook that ends in
  // a purge, after reading the first ten messages, destroys the others unread (review ONCALL H1).
  it('never tell the on-call to purge the failure queue, nor the FailedInvocations page', () => {
    const docs = readdirSync(new URL('../../docs/', import.meta.url)).filter((f) => f.endsWith('.md'));
    for (const file of ['../README.md', ...docs]) {
      const text = readFileSync(new URL(`../../docs/${file}`, import.meta.url), 'utf8');
      expect(text, file).not.toMatch(/aws sqs purge-queue|purge the failure queue/);
    }
    const failed = alarms.find(({ name }) => name === 'Test-FailedInvocations');
    expect(failed?.description).toContain('do not purge the queue');
    expect(failed?.description).not.toContain('until purged');
  });

  it(`stay within the ${MAX_DESCRIPTION} characters CloudFormation allows`, () => {
    for (const { name, description } of alarms)
      expect(description.length, name).toBeLessThanOrEqual(MAX_DESCRIPTION);
  });
});

/**
 * Stacks that together hold every alarm the stack can make: the alarms that only some settings
 * add (the expiry's two with `retention.maxDays`, an instance's with `domoCustomer`, a second
 * instance whose name begins with the first's) are read as well as those of {@link EVERY_FEATURE}.
 */
const VARIANTS: Record<string, Record<string, unknown>> = {
  'every feature': EVERY_FEATURE,
  'expiry and two instances': {
    ...EVERY_FEATURE,
    instances: [{ name: 'acme', domoCustomer: 'acme-corp' }, { name: 'acme-eu' }],
    retention: { ...(SHIPPED_CONFIG.retention as Record<string, unknown>), maxDays: 730 },
  },
};

/** What the runbooks call an alarm: its name without the stack's, an instance's as `<instance>`. */
function runbookName(alarmName: string, instances: string[]): string {
  const name = alarmName.replace(/^Test-/, '');
  const instance = [...instances].sort((a, b) => b.length - a.length).find((i) => name.startsWith(`${i}-`));
  return instance ? `<instance>${name.slice(instance.length)}` : name;
}

// Not a list of alarms: one added later (or by a setting) is held to the same rule by itself.
describe.each(Object.entries(VARIANTS))('every alarm of the stack with %s', (_, overrides) => {
  const { template } = sharedSynth(overrides);
  const instances = (overrides.instances as { name: string }[]).map(({ name }) => name);
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((resource) => ({
    name: String(resource.Properties.AlarmName),
    description: String(resource.Properties.AlarmDescription),
  }));

  it('sends its reader to sections that exist, one of operations.md its own', () => {
    expect(alarms.length).toBeGreaterThan(20);
    for (const { name, description } of alarms) {
      const quoted = sectionsQuoted(description);
      expect(quoted, `${name}: ${description}`).not.toEqual([]);
      for (const { file, section } of quoted)
        expect(docHeadings(file), `${name} quotes ${file} "${section}"`).toContain(section);
      const runbooks = quoted.filter(({ file }) => file === 'operations.md').map(({ section }) => section);
      if (runbooks.length === 0) continue;
      const own = `${runbookName(name, instances)}: `;
      expect(
        runbooks.some((section) => section.startsWith(own)),
        `${name}: ${runbooks.join(' / ')}`,
      ).toBe(true);
    }
  });
});

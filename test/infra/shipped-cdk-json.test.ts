import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CONTEXT_KEY, ConfigError } from '../../infra/config/config-error.ts';
import { parseActivityLakeConfig } from '../../infra/config.ts';
import { SHIPPED_CDK_JSON_FILE, TEST_NOW } from './synth-helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WORKING_CDK_JSON_FILE = path.join(ROOT, 'cdk.json');
const FIXTURE = path.relative(ROOT, SHIPPED_CDK_JSON_FILE);

const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8'));

/** What the working cdk.json is to the tests. */
type Verdict =
  /** Still the shipped template, which the fixture copies. */
  | { kind: 'shipped' }
  /** Filled in to deploy: synth's config check accepts it. */
  | { kind: 'configured' }
  /** Neither: the message says what to do, for a user and for a developer. */
  | { kind: 'refused'; message: string };

/**
 * Judges the working cdk.json against the frozen copy the tests read (synth-helpers.ts). The
 * template itself is refused (it has no alarm address), so a developer who changes it and not the
 * copy lands in "refused" and is told to copy it; a user's file only has to be one synth accepts,
 * checked as `infra/activity-lake-app.ts` checks it: the same parse, with the context's keys (for
 * a misspelt `activityLake`). Anything but a ConfigError is thrown: the check itself is broken.
 */
function judge(working: Record<string, unknown>, shipped: Record<string, unknown>, now: Date): Verdict {
  if (isDeepStrictEqual(working, shipped)) return { kind: 'shipped' };
  const context = (working.context ?? {}) as Record<string, unknown>;
  try {
    parseActivityLakeConfig(context[CONTEXT_KEY], now, Object.keys(context));
    return { kind: 'configured' };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return {
      kind: 'refused',
      message: [
        `cdk.json is not the shipped template (${FIXTURE}), and synth refuses it:`,
        ...error.problems.map((problem) => `  - ${problem}`),
        'Configuring a deployment: fix these (`npm run synth` says the same).',
        `Changing the shipped template: copy it to the tests' copy (cp cdk.json ${FIXTURE}).`,
      ].join('\n'),
    };
  }
}

const SHIPPED = readJson(SHIPPED_CDK_JSON_FILE);
const shippedLake = (SHIPPED.context as Record<string, Record<string, Record<string, unknown>>>)[
  CONTEXT_KEY
] as Record<string, Record<string, unknown>>;

/** The shipped cdk.json with `activityLake` changed as `edit` says. */
const shippedWith = (
  edit: (lake: Record<string, Record<string, unknown>>) => void,
): Record<string, unknown> => {
  const copy = structuredClone(SHIPPED) as {
    context: Record<string, Record<string, Record<string, unknown>>>;
  };
  edit(copy.context[CONTEXT_KEY] as Record<string, Record<string, unknown>>);
  return copy;
};

describe("the tests' copy of the shipped cdk.json", () => {
  it('is the template while cdk.json is unchanged, and otherwise cdk.json is a config synth accepts', () => {
    const verdict = judge(readJson(WORKING_CDK_JSON_FILE), SHIPPED, new Date());
    // "refused" fails here with its message; the other two are what a clean clone and a
    // configured checkout hold.
    expect(verdict.kind === 'refused' ? verdict.message : verdict.kind).toMatch(/^(shipped|configured)$/);
  });

  it('is still the template README describes: one instance "main", refused until an alarm address is set', () => {
    expect(shippedLake.instances).toEqual([{ name: 'main' }]);
    expect(shippedLake.alarms?.email).toBeNull();
    expect(
      judge(
        shippedWith(() => {}),
        SHIPPED,
        TEST_NOW,
      ),
    ).toEqual({ kind: 'shipped' });
  });

  it("accepts a user's configured cdk.json: an alarm address; then two instances, the report, Europe/London", () => {
    const withAddress = shippedWith((lake) => {
      (lake.alarms as Record<string, unknown>).email = 'ops@acme-co.org';
    });
    expect(judge(withAddress, SHIPPED, TEST_NOW)).toEqual({ kind: 'configured' });
    const realistic = shippedWith((lake) => {
      (lake.alarms as Record<string, unknown>).email = 'ops@acme-co.org';
      (lake as Record<string, unknown>).instances = [{ name: 'prod' }, { name: 'sandbox' }];
      Object.assign(lake.report as Record<string, unknown>, {
        enabled: true,
        timeZone: 'Europe/London',
        sender: 'domo-reports@acme-co.org',
        recipients: ['security@acme-co.org'],
      });
    });
    expect(judge(realistic, SHIPPED, TEST_NOW)).toEqual({ kind: 'configured' });
  });

  it('tells a developer who changed the template, and not the copy, to copy it', () => {
    const drifted = shippedWith((lake) => {
      (lake.ingest as Record<string, unknown>).memoryMb = 2048;
    });
    const verdict = judge(drifted, SHIPPED, TEST_NOW);
    expect(verdict).toEqual({
      kind: 'refused',
      message: expect.stringContaining('alarms.email: is required'),
    });
    expect(verdict.kind === 'refused' && verdict.message).toContain(
      "Changing the shipped template: copy it to the tests' copy (cp cdk.json test/infra/fixtures/shipped-cdk.json).",
    );
  });

  it('tells a user whose cdk.json synth would refuse what to fix, as synth does', () => {
    const halfDone = shippedWith((lake) => {
      (lake.alarms as Record<string, unknown>).email = 'ops@acme-co.org';
      (lake.report as Record<string, unknown>).enabled = true;
    });
    const verdict = judge(halfDone, SHIPPED, TEST_NOW);
    expect(verdict.kind === 'refused' && verdict.message.split('\n')).toEqual([
      'cdk.json is not the shipped template (test/infra/fixtures/shipped-cdk.json), and synth refuses it:',
      expect.stringMatching(/^ {2}- activityLake\.report\.sender: is required when report\.enabled is true/),
      expect.stringMatching(/^ {2}- activityLake\.report\.recipients: /),
      'Configuring a deployment: fix these (`npm run synth` says the same).',
      "Changing the shipped template: copy it to the tests' copy (cp cdk.json test/infra/fixtures/shipped-cdk.json).",
    ]);
    // A context without the section (renamed, say) is refused the same way, not with a crash.
    const misnamed = { ...SHIPPED, context: { activitylake: shippedLake } };
    expect(judge(misnamed, SHIPPED, TEST_NOW)).toEqual({
      kind: 'refused',
      message: expect.stringContaining('did you mean "activityLake"?'),
    });
  });

  it("leaves the user's cdk.json out of npm test's lint: a hand-written layout is not a failure", () => {
    // Arrays one item a line, where Biome's formatter would join them: how people write a list
    // they expect to grow. Biome, run as `npm test` runs it, on that text as cdk.json.
    const handWritten = JSON.stringify(
      shippedWith((lake) => {
        (lake.alarms as Record<string, unknown>).email = 'ops@acme-co.org';
        (lake as Record<string, unknown>).instances = [{ name: 'prod' }, { name: 'sandbox' }];
      }),
      null,
      2,
    );
    const biome = path.join(ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
    const lint = spawnSync(process.execPath, [biome, 'check', '--stdin-file-path=cdk.json'], {
      cwd: ROOT,
      input: handWritten,
      encoding: 'utf8',
    });
    expect({ status: lint.status, stdout: lint.stdout }).toEqual({ status: 0, stdout: handWritten });
  });
});

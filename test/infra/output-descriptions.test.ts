import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVERY_FEATURE, sharedSynth } from './synth-helpers.ts';

// first-deploy review F2: AlarmTopicArn, the output step 7 sends the admin to, said nothing of
// itself, nor did six others, in the console's Outputs tab.
describe('the stack outputs', () => {
  const outputs = sharedSynth(EVERY_FEATURE).template.toJSON().Outputs as Record<
    string,
    { Description?: string }
  >;

  it('each say what they are', () => {
    const bare = Object.entries(outputs)
      .filter(([, output]) => !output.Description)
      .map(([id]) => id);
    expect(bare).toEqual([]);
  });

  // The lake's read guard refuses every role it does not name, Athena's callers included.
  it('tell who queries or audits the lake to be named in retention.readAllowedPrincipals', () => {
    expect(outputs.AthenaWorkGroup?.Description).toMatch(/retention\.readAllowedPrincipals/);
    expect(outputs.DigestAuditorPolicy?.Description).toMatch(/retention\.readAllowedPrincipals/);
  });

  // The Known Domo outage loop sent the on-call to stack outputs `<instance>-IngestFunction`,
  // which no stack has: the outputs drop the instance name's `-` (review ONCALL L1).
  it('are named in the docs as the stack names them', () => {
    const docs = readdirSync(new URL('../../docs/', import.meta.url)).filter((f) => f.endsWith('.md'));
    const named = ['../README.md', ...docs].flatMap((file) => {
      const text = readFileSync(new URL(`../../docs/${file}`, import.meta.url), 'utf8');
      return [
        ...[...text.matchAll(/stack outputs? `([^`]+)`(?: and `([^`]+)`)?/g)].flatMap(([, a, b]) =>
          b ? [a, b] : [a],
        ),
        ...[...text.matchAll(/<main(\w+) output>/g)].map(([, name]) => `main${name}`),
      ].map((name) => ({ file, name: String(name) }));
    });
    expect(named.length).toBeGreaterThan(10);
    for (const { file, name } of named)
      expect(Object.keys(outputs), `${file}: ${name}`).toContain(name.replace(/^<instance>|^main/, 'acme'));
  });

  it('tell on the alarm topic to confirm by token, not by the link', () => {
    expect(outputs.AlarmTopicArn?.Description).toMatch(/confirm-subscription .*Token=.*never by its link/);
  });
});

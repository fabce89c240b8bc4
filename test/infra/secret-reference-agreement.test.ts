import { App, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { secretReferenceProblem } from '../../functions/core/domo/secret-reference.ts';
import { ConfigError } from '../../infra/config/config-error.ts';
import { parseActivityLakeConfig } from '../../infra/config.ts';
import { DEPLOYABLE_CONFIG, TEST_NOW } from './synth-helpers.ts';

// An instance's `secret` is checked by synth (infra/config/instance-secret.ts) with the check the CLI's --secret-id
// and its Secrets Manager source make (functions/core/domo/secret-reference.ts): a reference synth
// accepts must be one that check takes, and a refused one must read the same in both. Synth adds one
// refusal of its own: a partial ARN, which Secrets Manager could read but CDK cannot import.

/**
 * The problems synth reports for an instance whose `secret` is `value` (and whose secretKmsKeyArn
 * is `kmsKey`, when given); [] when it is accepted.
 */
function synthProblems(value: string, kmsKey?: string): string[] {
  const instance = { name: 'a', secret: value, ...(kmsKey === undefined ? {} : { secretKmsKeyArn: kmsKey }) };
  try {
    parseActivityLakeConfig({ ...DEPLOYABLE_CONFIG, instances: [instance] }, TEST_NOW);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [...error.problems];
  }
}

/** Imports the secret as the stack does (infra/constructs/instance-ingest.ts); throws where CDK refuses it. */
function importAsTheStackDoes(reference: string): void {
  const stack = new Stack(new App(), 'S');
  if (reference.startsWith('arn:')) secretsmanager.Secret.fromSecretCompleteArn(stack, 'S', reference);
  else secretsmanager.Secret.fromSecretNameV2(stack, 'S', reference);
}

const HEX_64 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:';

/** Both take it; neither does (in the same words); or the function does and synth refuses it as a partial ARN. */
type Verdict = 'both' | 'neither' | 'partial';

const REFERENCES: readonly [string, string, Verdict][] = [
  ['a plain name', 'domo', 'both'],
  ['a name with slashes', 'DomoActivityLake/domo/main', 'both'],
  ['a name with every allowed punctuation', 'a+b=c.d@e_f-g', 'both'],
  ['a name of 512 characters', 'x'.repeat(512), 'both'],
  ['a name of 513 characters', 'x'.repeat(513), 'neither'],
  ['a name with a space', 'has space', 'neither'],
  ['a name with "#"', 'domo#1', 'neither'],
  ['a name with a non-ASCII letter', 'domo/ácme', 'neither'],
  ['a name of 31 hex digits', HEX_64.slice(0, 31), 'both'],
  ['a name holding a hex run', `domo/${HEX_64.slice(0, 40)}`, 'both'],
  ['a full ARN', `${ARN}domo/acme-AbCdEf`, 'both'],
  [
    'a full ARN in another region',
    'arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:domo-AbC123',
    'both',
  ],
  ['a full ARN in aws-cn', 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:domo-AbC123', 'both'],
  [
    'a full ARN in aws-us-gov',
    'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:domo-AbC123',
    'both',
  ],
  ['a full ARN whose name is hex (reached by its ARN only)', `${ARN}${HEX_64}-AbCdEf`, 'both'],
  ['a partial ARN', `${ARN}domo/acme`, 'partial'],
  ['a partial ARN whose name is hex', `${ARN}${HEX_64}`, 'partial'],
  [
    'a partial ARN in another partition',
    'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:domo',
    'partial',
  ],
  ['an ARN with a suffix of 5 characters', `${ARN}domo/acme-AbCdE+`, 'partial'],
  ['an ARN without an account', 'arn:aws:secretsmanager:eu-west-1:secret:domo-AbCdEf', 'neither'],
  [
    'an ARN with an upper-case region',
    'arn:aws:secretsmanager:EU-WEST-1:123456789012:secret:domo-AbCdEf',
    'neither',
  ],
  ['an ARN of another service', 'arn:aws:s3:::not-a-secret', 'neither'],
  [
    'an ARN of another partition spelling',
    'arn:amazon:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf',
    'neither',
  ],
  ['an empty string', '', 'neither'],
  ['whitespace alone', '  ', 'neither'],
  ['a name with a trailing space', 'domo-secret ', 'neither'],
  ['a name with a leading line break', '\ndomo-secret', 'neither'],
  ['a full ARN with a trailing line break', `${ARN}domo-AbCdEf\n`, 'neither'],
  ['the secret value pasted as JSON', '{"clientId":"c41e307a","clientSecret":"s3cr3tvalue"}', 'neither'],
  ['the secret value as JSON, indented', '  {\n  "clientSecret": "s3cr3tvalue"\n}', 'neither'],
  ['a JSON string', '"s3cr3tvalue"', 'neither'],
  ['a client secret of 64 hex digits', HEX_64, 'neither'],
  ['a client secret in capitals, with a line break', `${HEX_64.toUpperCase()}\n`, 'neither'],
];

/** What a message must never hold: a run of 32 hex digits, or the JSON secret's content. */
const SECRET_LOOKING = /[0-9a-f]{32}|s3cr3t|clientSecret|c41e307a/i;

describe('an instance secret reference: synth and the function agree', () => {
  it.each(REFERENCES)('%s', (_label, value, verdict) => {
    const shared = secretReferenceProblem(value);
    const synth = synthProblems(value);
    if (verdict === 'both') {
      expect(shared).toBeUndefined();
      expect(synth).toEqual([]);
      expect(() => importAsTheStackDoes(value)).not.toThrow();
    } else if (verdict === 'partial') {
      expect(shared).toBeUndefined();
      expect(synth).toEqual([
        expect.stringMatching(/^activityLake\.instances\[0\]\.secret: is a partial ARN/),
      ]);
      expect(() => importAsTheStackDoes(value)).toThrow();
    } else {
      // The same sentence as the CLI's --secret-id and the function give, plus how synth differs.
      expect(synth).toEqual([
        `activityLake.instances[0].secret: ${shared}; or leave it out to have the stack create one (got a value not shown here, as it may be a credential)`,
      ]);
      if (value.trim() !== '') expect(synth[0]).not.toContain(value.trim());
    }
    for (const message of [shared ?? '', ...synth]) expect(message).not.toMatch(SECRET_LOOKING);
  });
});

/** A key in a region none of the ARNs above is in: the key's region check speaks for each of them. */
const KEY_ELSEWHERE = 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

// The key's region check quoted the secret's ARN as the command to run, so a full ARN whose name is
// 64 hex digits, which the partial-ARN message hides, was printed there.
describe('an instance secret reference with secretKmsKeyArn set', () => {
  it.each(REFERENCES)('%s: no message quotes it', (_label, value) => {
    for (const message of synthProblems(value, KEY_ELSEWHERE)) expect(message).not.toMatch(SECRET_LOOKING);
  });

  it('names the secret in the region check without quoting it', () => {
    expect(synthProblems(`${ARN}${HEX_64}`, KEY_ELSEWHERE)).toContain(
      'activityLake.instances[0].secretKmsKeyArn: is a key in us-west-2, but the secret is in eu-west-1, and Secrets Manager encrypts a secret only with a key of its own region: name the key aws secretsmanager describe-secret --secret-id <the secret\'s ARN> --query KmsKeyId shows (got "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34c...)',
    );
  });
});

import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECK_ANSWER_WITHIN, LAKE_KEY_KEPT_HANDLER } from '../../infra/constructs/lake-key-kept.ts';
import { EVERY_FEATURE, logicalIdOf, sharedSynth, statementsOfRoleId, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const KEY = `arn:aws:kms:${TEST_ENV.region}:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_KEY = `arn:aws:kms:${TEST_ENV.region}:123456789012:key/mrk-0123456789abcdef0123456789abcdef`;
const STACK_ID = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/DomoActivityLake/0a1b2c3d';

type Request = 'Create' | 'Update' | 'Delete';
interface Response {
  Status: 'SUCCESS' | 'FAILED';
  Reason: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
}

/**
 * What the function answers CloudFormation for `request` from `before` to `after`, its inline
 * source run as Lambda runs it: the SDK's DescribeStacks answering `status` (or refused), the
 * response PUT to the presigned URL caught.
 */
async function answer(
  request: Request,
  after: readonly string[] | undefined,
  before?: readonly string[],
  options: {
    status?: string;
    describeRefused?: boolean;
    describeHangs?: boolean;
    answerStatus?: number;
  } = {},
): Promise<Response & { url: string; method: string; giveUpMs: number[] }> {
  const described: unknown[] = [];
  const giveUpMs: number[] = [];
  // The runtime's AbortSignal.timeout, whose time runs out at once for a call that would hang.
  const abortSignal = {
    timeout: (ms: number) => {
      giveUpMs.push(ms);
      return { aborted: true };
    },
  };
  const sdk = {
    CloudFormationClient: class {
      async send(command: { input: unknown }, sent: { abortSignal?: { aborted: boolean } } = {}) {
        described.push(command.input);
        if (options.describeHangs && sent.abortSignal?.aborted) throw new Error('Request aborted');
        if (options.describeHangs) return new Promise(() => {});
        if (options.describeRefused) throw new Error('User is not authorized to perform DescribeStacks');
        return { Stacks: [{ StackStatus: options.status ?? 'UPDATE_IN_PROGRESS' }] };
      }
    },
    DescribeStacksCommand: class {
      constructor(readonly input: unknown) {}
    },
  };
  const require = (name: string) => {
    if (name !== '@aws-sdk/client-cloudformation') throw new Error(`no module ${name} in the runtime`);
    return sdk;
  };
  const puts: { url: string; method: string; body: string }[] = [];
  const fetch = async (url: string, init: { method: string; body: string }) => {
    puts.push({ url, method: init.method, body: init.body });
    const status = options.answerStatus ?? 200;
    return { ok: status < 300, status };
  };
  const exports: { handler?: (event: unknown) => Promise<void> } = {};
  // The source as Lambda loads it (CommonJS): its own exports, require and the runtime's fetch.
  new Function('exports', 'require', 'fetch', 'AbortSignal', LAKE_KEY_KEPT_HANDLER)(
    exports,
    require,
    fetch,
    abortSignal,
  );
  await exports.handler?.({
    RequestType: request,
    ResponseURL: 'https://cloudformation-custom-resource-response.s3.amazonaws.com/signed',
    StackId: STACK_ID,
    RequestId: 'request-1',
    LogicalResourceId: 'LakeKeyKeptCheck1234',
    ...(request === 'Create' ? {} : { PhysicalResourceId: 'LakeKeyKeptCheck1234' }),
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:…', ...(after ? { KeyArns: after } : {}) },
    ...(before ? { OldResourceProperties: { ServiceToken: 'arn:aws:lambda:…', KeyArns: before } } : {}),
  });
  expect(puts).toHaveLength(1);
  for (const input of described) expect(input).toEqual({ StackName: STACK_ID });
  const [put] = puts as [(typeof puts)[number]];
  return { url: put.url, method: put.method, giveUpMs, ...(JSON.parse(put.body) as Response) };
}

describe('the lake key check refuses a deploy that drops a key of the lake (review CMK3)', () => {
  // The accident: a shipped cdk.json copied over one with lakeEncryption, and the next deploy took
  // the roles' grants while the objects written under the key stayed encrypted with it.
  it('refuses lakeEncryption removed, naming the key and the two ways out', async () => {
    const response = await answer('Update', [], [KEY]);
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain(`drops ${KEY} from the keys the stack lets read the lake`);
    expect(response.Reason).toContain('Put it back as lakeEncryption.kmsKeyArn');
    expect(response.Reason).toContain('list it in lakeEncryption.retiredKmsKeyArns');
    expect(response.Reason).toContain('docs/configuration.md, "Moving off the key"');
  });

  it('refuses the key replaced by another, or a retired key left out', async () => {
    expect((await answer('Update', [OTHER_KEY], [KEY])).Status).toBe('FAILED');
    expect((await answer('Update', [OTHER_KEY], [KEY, OTHER_KEY])).Reason).toContain(`drops ${KEY} `);
    // Properties CloudFormation sends without the list at all read as none.
    expect((await answer('Update', undefined, [KEY])).Status).toBe('FAILED');
  });

  it('lets a key be set, moved to the retired ones, or another added', async () => {
    for (const [after, before] of [
      [[KEY], []],
      [[KEY], [KEY]],
      [[KEY, OTHER_KEY], [KEY]],
      [
        [OTHER_KEY, KEY],
        [KEY, OTHER_KEY],
      ],
      [[], []],
    ] as const) {
      const response = await answer('Update', after, before);
      expect(response.Status, JSON.stringify({ after, before })).toBe('SUCCESS');
    }
  });

  // A rollback restores the template before an update that added a key: refusing it would leave
  // the stack in UPDATE_ROLLBACK_FAILED.
  it('lets a rollback drop the key the failed update added', async () => {
    const response = await answer('Update', [], [KEY], { status: 'UPDATE_ROLLBACK_IN_PROGRESS' });
    expect(response.Status).toBe('SUCCESS');
  });

  it('refuses when it cannot tell a rollback, saying so', async () => {
    const response = await answer('Update', [], [KEY], { describeRefused: true });
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(
      /could not check .*not authorized to perform DescribeStacks.*deploy again/,
    );
    // It cannot tell a rollback either: one it refused leaves the stack UPDATE_ROLLBACK_FAILED,
    // where deploying again is refused too (review REVIEW87A).
    expect(response.Reason).toContain(
      `aws cloudformation continue-update-rollback --stack-name ${STACK_ID} --resources-to-skip LakeKeyKeptCheck1234`,
    );
  });

  // Review REVIEW88A: a DescribeStacks that never answered ran the function out of time without
  // an answer: the deploy waited five minutes, and a rollback then ended UPDATE_ROLLBACK_FAILED
  // with no word of how to go on.
  it("gives up a DescribeStacks without an answer before the function's timeout, and answers FAILED with the way on", async () => {
    const response = await answer('Update', [], [KEY], { describeHangs: true });
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('(Request aborted)');
    expect(response.Reason).toContain('continue-update-rollback');
    const { template } = sharedSynth(EVERY_FEATURE);
    const fnId = logicalIdOf(template, 'AWS::Lambda::Function', '/LakeKeyKept/Function');
    const timeout: number = template.toJSON().Resources[fnId].Properties.Timeout;
    expect(response.giveUpMs).toHaveLength(1);
    expect(response.giveUpMs[0]).toBeLessThanOrEqual(timeout * 1000 - 5000);
  });

  // Review REVIEW88A: an answer S3 did not take was lost without a trace, and CloudFormation
  // waited for the resource's timeout; a run that fails is tried again by Lambda.
  it('fails its run when the answer is not taken, so that Lambda sends the event again', async () => {
    await expect(answer('Create', [KEY], undefined, { answerStatus: 503 })).rejects.toThrow(
      'the answer to CloudFormation was refused: HTTP 503',
    );
  });

  it('lets the stack be created and deleted, and answers as CloudFormation expects', async () => {
    const created = await answer('Create', [KEY]);
    expect(created).toMatchObject({
      Status: 'SUCCESS',
      url: 'https://cloudformation-custom-resource-response.s3.amazonaws.com/signed',
      method: 'PUT',
      StackId: STACK_ID,
      RequestId: 'request-1',
      LogicalResourceId: 'LakeKeyKeptCheck1234',
      // The same id on every answer: another would tell CloudFormation the resource was replaced.
      PhysicalResourceId: 'LakeKeyKeptCheck1234',
    });
    expect((await answer('Delete', [KEY])).Status).toBe('SUCCESS');
    expect((await answer('Update', [], [KEY])).PhysicalResourceId).toBe('LakeKeyKeptCheck1234');
  });
});

describe('the lake key check in the stack', () => {
  const checkOf = (overrides: Record<string, unknown>) => {
    const { template } = sharedSynth(overrides);
    const [check, ...more] = Object.values(template.findResources('Custom::LakeKeyKept'));
    expect(more).toEqual([]);
    return { template, properties: check?.Properties };
  };

  it('is in every stack, naming no key without lakeEncryption: what a removal deploys', () => {
    expect(checkOf(EVERY_FEATURE).properties.KeyArns).toEqual([]);
  });

  it('names the current key and the retired ones, in one order whichever the config gives', () => {
    const keyed = checkOf({
      ...EVERY_FEATURE,
      lakeEncryption: { kmsKeyArn: OTHER_KEY, retiredKmsKeyArns: [KEY] },
    });
    expect(keyed.properties.KeyArns).toEqual([KEY, OTHER_KEY].sort());
  });

  it('runs its inline handler, whose role may only describe the stack', () => {
    const { template, properties } = checkOf(EVERY_FEATURE);
    const fnId = logicalIdOf(template, 'AWS::Lambda::Function', '/LakeKeyKept/Function');
    expect(properties.ServiceToken).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    const fn = template.toJSON().Resources[fnId].Properties;
    expect(fn.Code.ZipFile).toBe(LAKE_KEY_KEPT_HANDLER);
    // Lambda takes at most 4,096 characters of inline code.
    expect(LAKE_KEY_KEPT_HANDLER.length).toBeLessThanOrEqual(4096);
    const roleId = logicalIdOf(template, 'AWS::IAM::Role', '/LakeKeyKept/Role/');
    expect(fn.Role).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    expect(statementsOfRoleId(template, roleId)).toEqual([
      { Effect: 'Allow', Action: 'cloudformation:DescribeStacks', Resource: { Ref: 'AWS::StackId' } },
    ]);
  });

  // Review REVIEW87A: without ServiceTimeout a run that never answers holds the deploy an hour,
  // and the rollback after it another.
  it('is waited for minutes, not the hour CloudFormation waits by default, its retries included', () => {
    const { template, properties } = checkOf(EVERY_FEATURE);
    const fnId = logicalIdOf(template, 'AWS::Lambda::Function', '/LakeKeyKept/Function');
    const timeout: number = template.toJSON().Resources[fnId].Properties.Timeout;
    const waited = Number(properties.ServiceTimeout);
    expect(properties.ServiceTimeout).toBe(String(CHECK_ANSWER_WITHIN.toSeconds()));
    expect(waited).toBeLessThanOrEqual(600);
    // Lambda's three tries of an asynchronous event, a minute and then two apart.
    expect(waited).toBeGreaterThanOrEqual(3 * timeout + 3 * 60);
  });
});

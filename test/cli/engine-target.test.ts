import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient, GetTableMetadataCommand } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { ENGINE_HELP, openEngineTarget } from '../../functions/cli/engine-target.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';

/** How `query` opens its engine: the verb its refusals use. */
const QUERY = { use: 'query' };

/** The refusal `openEngineTarget` gives for these values. */
async function refusal(...args: Parameters<typeof openEngineTarget>): Promise<Error> {
  try {
    await openEngineTarget(...args);
  } catch (error) {
    return error as Error;
  }
  throw new Error('accepted');
}

describe('openEngineTarget', () => {
  it('reads ./lake when no --lake is given, as its help says', async () => {
    expect(ENGINE_HELP).toMatch(/^ {2}--lake <dir> +the lake directory DuckDB reads \(default: \.\/lake\)$/m);
    const dir = await mkdtemp(join(tmpdir(), 'engine-target-'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect((await refusal({ athena: false }, undefined, QUERY)).message).toMatch(
        /^there is no lake at \.\/lake \(\/.*\/lake: no such directory\)/,
      );
    } finally {
      process.chdir(cwd);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses one Athena-only flag without --athena, as a usage error naming it', async () => {
    for (const flag of ['workgroup', 'database', 'region'] as const) {
      const error = await refusal({ athena: false, [flag]: 'x' }, undefined, QUERY);
      expect(error, flag).toBeInstanceOf(UsageError);
      expect(error.message, flag).toMatch(new RegExp(`^--${flag} applies to Athena only: add --athena`));
    }
  });

  it('checks --instance with --athena too, and names the workgroup and database it runs on', async () => {
    const client = new AthenaClient({ region: 'eu-west-1' });
    // The deployed instances are read from the lake table's metadata before the instance is chosen.
    const athena = mockClient(client)
      .on(GetTableMetadataCommand)
      .resolves({
        TableMetadata: { Name: 'activity_log', Parameters: { 'projection.instance.values': 'main,acme' } },
      });
    onTestFinished(() => athena.restore());
    const values = { athena: true, workgroup: 'wg', database: 'db' };
    const error = await refusal({ ...values, instance: '../etc' }, client, QUERY);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/^--instance /);
    expect(await openEngineTarget({ ...values, instance: 'acme' }, client, QUERY)).toMatchObject({
      where: 'Athena wg/db',
      instance: 'acme',
    });
  });

  it('refuses --lake beside --athena itself, in the words of the command that opens it', async () => {
    const client = new AthenaClient({ region: 'eu-west-1' });
    const values = { athena: true, workgroup: 'wg', database: 'db', lake: './my-lake' };
    const error = await refusal(values, client, { use: 'report from' });
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(
      /^--athena runs on the deployed lake's tables .* drop --lake to report from Athena,/,
    );
  });

  it('names the region Athena runs in though only AWS_REGION gave it (review R-REPORTID M3)', async () => {
    vi.stubEnv('AWS_REGION', 'ap-southeast-2');
    const athena = mockClient(AthenaClient).on(GetTableMetadataCommand).resolves({});
    onTestFinished(() => {
      athena.restore();
      vi.unstubAllEnvs();
    });
    const values = { athena: true, workgroup: 'wg', database: 'db', instance: 'acme' };
    expect(await openEngineTarget(values, undefined, QUERY)).toMatchObject({ region: 'ap-southeast-2' });
    const given = await openEngineTarget({ ...values, region: 'eu-west-1' }, undefined, QUERY);
    expect(given).toMatchObject({ region: 'eu-west-1' });
  });

  it('refuses --athena without a region, saying how to give one', async () => {
    vi.stubEnv('AWS_REGION', '');
    vi.stubEnv('AWS_DEFAULT_REGION', '');
    vi.stubEnv('AWS_PROFILE', '');
    vi.stubEnv('AWS_CONFIG_FILE', join(tmpdir(), `no-aws-config-${process.pid}`, 'config'));
    try {
      const error = await refusal({ athena: true, workgroup: 'wg', database: 'db' }, undefined, QUERY);
      expect(error).toBeInstanceOf(UsageError);
      expect(error.message).toBe(
        "--athena needs an AWS region: pass --region <the stack's region> or export AWS_REGION",
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

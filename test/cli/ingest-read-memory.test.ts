import { describe, expect, it } from 'vitest';
import { ingestConfig, ingestOptions } from '../../functions/cli/commands/ingest.ts';
import { parseOptions } from '../../functions/cli/options.ts';

const MIB = 1024 * 1024;
const configOf = (env: Record<string, string>, ...args: string[]) =>
  ingestConfig(parseOptions(args, ingestOptions).values as Parameters<typeof ingestConfig>[0], 'acme', env);

describe("what the command's reads of Domo may hold (review R-BIG H1)", () => {
  it('gives each read its share of the memory, and an hour past it what a lone read may hold', () => {
    const config = configOf({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024' }, '--concurrency', '8');
    expect(config.maxHeldChars).toBe(Math.floor((1024 * MIB) / 27));
    // A sixth of the memory, whatever the concurrency: the share of one read at a time.
    expect(config.maxHeldCharsAlone).toBe(Math.floor((1024 * MIB) / 6));
    expect(configOf({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024' }).maxHeldCharsAlone).toBe(
      config.maxHeldCharsAlone,
    );
  });
});

import { readFileSync } from 'node:fs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { EVERY_FEATURE, sharedSynth } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

// review R-FINOPS M1: the cost notes stated the ingest's Lambda ceiling but called the alerts
// function's spend cents, though its retries fill the day when every run times out. Both ceilings
// are now checked against the template's timeout, memory, retries and reserved concurrency.
const OPERATIONS = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
const ALERTS_DOC = readFileSync(new URL('../../docs/alerts.md', import.meta.url), 'utf8').replace(
  /\s+/g,
  ' ',
);
const row = (lead: string) => OPERATIONS.split('\n').find((line) => line.startsWith(lead)) ?? '';

/** Lambda arm64, per GB-second (us-east-1 list price, as the notes use). */
const PER_GB_SECOND_USD = 0.0000133334;
const MONTH_S = 30 * 86_400;
const RUNS_A_DAY = 96;

interface FunctionProperties {
  Timeout: number;
  MemorySize: number;
  ReservedConcurrentExecutions: number;
}

/** The function whose construct path contains `part`, and the retries of its asynchronous calls. */
function functionOf(part: string) {
  const { template } = sharedSynth(EVERY_FEATURE);
  const [[id, fn] = []] = Object.entries(template.findResources('AWS::Lambda::Function')).filter(
    ([, resource]) => String(resource.Metadata?.['aws:cdk:path']).includes(part),
  );
  const invokeConfig = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')).find(
    (resource) => resource.Properties.FunctionName?.Ref === id,
  );
  return {
    ...(fn?.Properties as FunctionProperties),
    retries: invokeConfig?.Properties.MaximumRetryAttempts as number,
  };
}

/** One run at a time without pause for a month, at the function's memory. */
const ceilingUsd = (memoryMb: number) => ((MONTH_S * memoryMb) / 1024) * PER_GB_SECOND_USD;

describe('the Lambda ceilings of the cost notes match the template', () => {
  it("states the ingest's: one run at a time, without pause", () => {
    const ingest = functionOf('/Ingest/Function/');
    expect(ingest.ReservedConcurrentExecutions).toBe(1);
    expect(row('| Lambda ')).toContain(
      `at most $${ceilingUsd(ingest.MemorySize).toFixed(2)} an instance-month`,
    );
  });

  it("states the alerts function's, which its retries reach when every run times out", () => {
    const alerts = functionOf('/Alerts-');
    expect(alerts.ReservedConcurrentExecutions).toBe(1);
    // Started after every scheduled ingest run, each tried 1 + retries times up to its timeout.
    expect(RUNS_A_DAY * (1 + alerts.retries) * alerts.Timeout).toBeGreaterThanOrEqual(86_400);
    const stated = `$${ceilingUsd(alerts.MemorySize).toFixed(2)} an instance-month at the default ${alerts.MemorySize} MB`;
    expect(ALERTS_DOC).toContain(stated);
    expect(row('| Alerts ')).toContain(stated);
  });
});

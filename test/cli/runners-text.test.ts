import { describe, expect, it } from 'vitest';
import { runnerLines } from '../../functions/cli/runners-text.ts';
import type { RunnerSeen } from '../../functions/core/lake/digest-runners-seen.ts';

const span = {
  firstDigest: 'digest/instance=main/0000000000.json',
  lastDigest: 'digest/instance=main/0000000009.json',
};

describe('the runner lines of verify --integrity', () => {
  it('names the function, the trigger and the API; digests of older versions say none is recorded', () => {
    const runners: RunnerSeen[] = [
      { ...span, digests: 4, runs: 2 },
      {
        ...span,
        digests: 6,
        runs: 3,
        runner: {
          trigger: 'schedule',
          api_base: 'https://api.domo.com',
          caller: { kind: 'lambda', function_arn: 'arn:aws:lambda:eu-west-1:1:function:ingest-main' },
        },
      },
    ];
    const lines = runnerLines(runners);
    expect(lines[0]).toMatch(/^ {2}runs, by what their digests say ran them \(written by whoever signed/);
    expect(lines[1]).toBe(
      `    4 digest(s) of 2 run(s), ${span.firstDigest} .. ${span.lastDigest}: no runner recorded (written by a version that recorded none)`,
    );
    expect(lines[2]).toBe(
      `    6 digest(s) of 3 run(s), ${span.firstDigest} .. ${span.lastDigest}: function arn:aws:lambda:eu-west-1:1:function:ingest-main, invoked with the schedule's event, read https://api.domo.com`,
    );
  });

  it('shows what a signer wrote as one visible line, a runner of an unknown kind included', () => {
    const [, line, unknown] = runnerLines([
      {
        ...span,
        digests: 1,
        runs: 1,
        runner: { trigger: 'cron\n\u001b[2K', caller: { kind: 'command-line', host: 'h\r\nOK', user: 'u' } },
      },
      { ...span, digests: 1, runs: 1, runner: { trigger: 'enrich', caller: { kind: 'ecs\u202e' } } },
    ]);
    for (const hidden of ['\r', '\n', '\u001b', '\u202e']) expect(line).not.toContain(hidden);
    expect(unknown).not.toContain('\u202e');
    expect(line).toContain('read no API');
    expect(
      runnerLines([
        { ...span, digests: 1, runs: 1, runner: { trigger: 'enrich', caller: { kind: 'ecs' } } },
      ])[1],
    ).toContain('a runner of kind "ecs", enrich, read no API');
  });

  it('dates no digest that records no runner, says those after a runner apart, and the ones the key did not sign', () => {
    const lines = runnerLines([
      { ...span, digests: 2, runs: 2 },
      { ...span, digests: 1, runs: 1, afterRunnerAt: 'digest/instance=main/0000000004.json' },
      {
        ...span,
        digests: 1,
        runs: 1,
        notSignedByKey: true,
        runner: { trigger: 'schedule', caller: { kind: 'lambda', function_arn: 'arn:f' } },
      },
    ]);
    expect(lines.join('\n')).not.toContain('2026-12-06');
    expect(lines[2]).toContain(
      ': no runner recorded, after digest/instance=main/0000000004.json, which recorded one (written by an older version or edited: only their Sign calls tell)',
    );
    expect(lines[3]).toContain(
      ": not signed by the key (what they say is anyone's): function arn:f, invoked with the schedule's event",
    );
  });

  it('says nothing for a report without runners (a report of an older version)', () => {
    expect(runnerLines(undefined)).toEqual([]);
    expect(runnerLines([])).toEqual([]);
  });
});

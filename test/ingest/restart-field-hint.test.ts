import { describe, expect, it } from 'vitest';
import { DigestChainExistsError } from '../../functions/core/ingest/digest-restart.ts';
import { DigestChainMissingError } from '../../functions/core/lake/chain-restart-guard.ts';
import { withRestartField } from '../../functions/ingest/restart-field-hint.ts';

// Review R-SECOND5 L1: the refusal asked for the restart without naming how the function is asked.
describe('the function names the event field the core refusals leave unnamed', () => {
  it('in the refusal of a missing chain', () => {
    const checkpoint = { runId: 'r1', updatedAt: '2026-12-06T00:00:00Z' };
    const message = withRestartField(new DigestChainMissingError('main', { checkpoint }).message);
    expect(message).toContain('invoke the function once with "restartDigestChain": true in its event');
  });

  it('in the refusal of a restart over a chain that is there', () => {
    const message = withRestartField(new DigestChainExistsError('main').message);
    expect(message).toContain('Invoke the function without "restartDigestChain": true');
  });
});

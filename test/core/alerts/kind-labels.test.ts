import { describe, expect, it } from 'vitest';
import { KIND_LABELS } from '../../../functions/core/alerts/kind-labels.ts';
import { reasonLabel } from '../../../functions/core/report/suspicious-labels.ts';

describe('the alerts name each suspicious login as the weekly report does', () => {
  // A reader compares the two: "impossible journey" in one and "impossible travel" in the other
  // read as two findings.
  it.each(['new_country', 'new_network', 'impossible_travel', 'unusual_hour'] as const)('%s', (kind) => {
    const [one, many] = KIND_LABELS[kind];
    expect(one).toContain(reasonLabel(kind));
    expect(many).toContain(reasonLabel(kind));
  });
});

import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import type { SuspiciousLogin } from '../../../functions/core/report/report-model.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { sampleModel } from './model-fixture.ts';

/** `suspicious_logins` answers one row per login and reason: one login from a new country on a new network is two rows. */
function modelWithFindings(rows: readonly Partial<SuspiciousLogin>[]) {
  const model = sampleModel();
  const base = model.suspiciousLogins[0];
  if (!base) throw new Error('the fixture has a suspicious login');
  model.suspiciousLogins = rows.map((row) => ({ ...base, ...row }));
  return model;
}

const threeFindingsOfTwoLogins = [
  { reason: 'new_country', ipAddress: '203.0.113.9' },
  { reason: 'new_network', ipAddress: '203.0.113.9' },
  { reason: 'unusual_hour', eventTime: '2026-11-19 04:00:00.000' },
];

describe('the suspicious-logins count', () => {
  it('counts logins, and says how many findings when a login was found for several reasons', () => {
    const model = modelWithFindings(threeFindingsOfTwoLogins);
    const { html, text, subject } = renderReport(model);
    expect(subject).toContain(': 2 suspicious logins (3 findings), ');
    expect(html).toContain('>Suspicious logins (2 logins, 3 findings)<');
    expect(text).toContain('\nSUSPICIOUS LOGINS (2 LOGINS, 3 FINDINGS)\n');
  });

  it('tells logins of different users or addresses at the same time apart', () => {
    const model = modelWithFindings([
      { reason: 'new_country', userId: '103' },
      { reason: 'new_country', userId: '104' },
      { reason: 'new_country', userId: '104', ipAddress: '203.0.113.1' },
    ]);
    expect(reportSubject(model)).toContain(': 3 suspicious logins, ');
    expect(renderReport(model).html).toContain('>Suspicious logins (3)<');
  });

  it('puts the findings and why the count may read low in one bracket', () => {
    const model = modelWithFindings(threeFindingsOfTwoLogins);
    model.health = { ...model.health, unplacedLogins: 49 };
    expect(reportSubject(model)).toMatch(/: 2 suspicious logins \(3 findings, 49 logins not placed\), /);
  });
});

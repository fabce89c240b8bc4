import { describe, expect, it } from 'vitest';
import { describeLocalReport } from '../../functions/cli/commands/report.ts';
import { reportSubject } from '../../functions/core/report/report-subject.ts';
import { fullHealth, sampleModel } from '../core/report/model-fixture.ts';

const paths = { html: 'r.html', txt: 'r.txt', eml: 'r.eml', json: 'r.json' };

describe("report's terminal summary", () => {
  it('counts quarantined entries in a correct plural', () => {
    const summary = (quarantined: number) => {
      const model = sampleModel({ health: fullHealth({ quarantined }) });
      return describeLocalReport({ model, subject: reportSubject(model), paths, htmlBytes: 1 });
    };
    expect(summary(3)).toContain('; 3 quarantined entries\n');
    expect(summary(1)).toContain('; 1 quarantined entry\n');
  });
});

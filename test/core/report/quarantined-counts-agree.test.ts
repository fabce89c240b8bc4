import { describe, expect, it } from 'vitest';
import { quarantinedSentence } from '../../../functions/core/report/uncounted-sign-ins.ts';
import { fullHealth, sampleModel } from './model-fixture.ts';

const sentence = (manifests: number, entries: number) =>
  quarantinedSentence(
    sampleModel({
      health: fullHealth({ quarantined: manifests }),
      uncountedSignIns: { unrecognised: 0, quarantined: 2, quarantinedEntries: entries, actionTypes: [] },
    }),
  );

describe('the quarantined count of the failed-logins note against data health', () => {
  it("says the manifests' count, which data health shows, when the entries are more", () => {
    expect(sentence(15, 18)).toContain(
      "18 entries of the week could not be read (quarantined; 15 by the hours' manifests, as data health counts them: verify reports the difference), 2 of which look like sign-in or sign-out events;",
    );
  });

  it('adds nothing when the two counts agree', () => {
    expect(sentence(18, 18)).toContain('2 of which look like sign-in or sign-out events; a failed login');
    expect(sentence(18, 18)).not.toContain('manifests');
  });
});

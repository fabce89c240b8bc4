/**
 * Sign-in events the category rules did not recognise (stored as `other`) or the ingest could not
 * read (quarantined) are in no login figure: the failed-logins section must not pass such a week
 * for a quiet one, and names the action types an operator can add to the category rules.
 */
import { describe, expect, it } from 'vitest';
import { esc } from '../../../functions/core/mail/html-escape.ts';
import { type QueryRow, silentLog } from '../../../functions/core/ports.ts';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { UncountedSignIns } from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { textWords } from '../../support/text-part.ts';
import { CONTRACT_ROWS, FakeEngine } from './fake-engine.ts';
import { fullHealth, hostile, hostileEscaped, sampleModel } from './model-fixture.ts';

const row = (source: string, action_type: string | null, entries: number, total: number, text?: string) => ({
  source,
  action_type,
  example_text: text ?? null,
  entries,
  source_entries: total,
  quarantined_entries: source === 'quarantined' ? 25 : null,
});

const ROWS: QueryRow[] = [
  row('unrecognised', 'AUTHENTICATION_FAILED', 5, 9, 'Authentication failed'),
  row('unrecognised', null, 2, 9, 'Login attempt failed'),
  row('unrecognised', 'LOGON', 1, 9),
  row('unrecognised', 'SSO_LOGIN', 1, 9),
  row('quarantined', 'LOGIN_FAILED', 5, 5, 'Failed login attempt'),
];

const UNCOUNTED: UncountedSignIns = {
  unrecognised: 9,
  quarantined: 5,
  quarantinedEntries: 25,
  actionTypes: [
    {
      source: 'unrecognised',
      actionType: 'AUTHENTICATION_FAILED',
      exampleText: 'Authentication failed',
      entries: 5,
    },
    { source: 'unrecognised', actionType: null, exampleText: 'Login attempt failed', entries: 2 },
    { source: 'unrecognised', actionType: 'LOGON', exampleText: null, entries: 1 },
    { source: 'unrecognised', actionType: 'SSO_LOGIN', exampleText: null, entries: 1 },
    { source: 'quarantined', actionType: 'LOGIN_FAILED', exampleText: 'Failed login attempt', entries: 5 },
  ],
};

const UNRECOGNISED =
  'Not counted here: 9 entries of the week look like sign-in or sign-out events but the category rules did not recognise them (by actionType: AUTHENTICATION_FAILED ×5, none ×2 (text "Login attempt failed"), LOGON ×1, and 1 more entry), so no login figure counts them; if they are sign-ins, failed sign-ins or lockouts, add their names to the category rules and re-categorise the week with enrich (docs/ingest.md, "Categories").';
const QUARANTINED =
  'Not counted here: 25 entries of the week could not be read (quarantined), 5 of which look like sign-in or sign-out events (by actionType: LOGIN_FAILED ×5); a failed login or lockout among them would be missing from this section.';

const week = (
  uncounted: UncountedSignIns | undefined,
  failed = sampleModel().failedLogins,
  quarantined = 25,
) =>
  sampleModel({
    failedLogins: failed,
    health: fullHealth({ quarantined }),
    ...(uncounted ? { uncountedSignIns: uncounted } : {}),
  });

/** The text and HTML parts, each count's no-break space read as a space. */
const parts = (model: ReturnType<typeof week>) => ({
  text: textWords(renderText(model)),
  html: renderHtml(model, reportSubject(model)).replaceAll('\u00a0', ' '),
});

describe('the report model', () => {
  it("reads the week's uncounted sign-in events from uncounted_sign_ins, over the week", async () => {
    const engine = new FakeEngine({ ...CONTRACT_ROWS, uncounted_sign_ins: ROWS });
    const model = await buildReportModel(engine, {
      instance: 'acme',
      run: runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z')),
    });
    expect(model.uncountedSignIns).toEqual(UNCOUNTED);
    expect(engine.calls.find((c) => c.name === 'uncounted_sign_ins')?.params).toEqual({
      instance: 'acme',
      from_dt: '2026-11-16',
      to_dt: '2026-11-22',
      from_ts: '2026-11-16 00:00:00.000',
      to_ts: '2026-11-23 00:00:00.000',
    });
  });

  it('counts none in a week whose sign-in events were all recognised and read', async () => {
    const model = await buildReportModel(new FakeEngine(), {
      instance: 'acme',
      run: runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z')),
    });
    expect(model.uncountedSignIns).toEqual({ unrecognised: 0, quarantined: 0, actionTypes: [] });
  });

  it('is sent without the count when uncounted_sign_ins fails, saying why it was not checked', async () => {
    class FailingEngine extends FakeEngine {
      override async run(...args: Parameters<FakeEngine['run']>) {
        if (args[0] === 'uncounted_sign_ins') {
          throw new Error(
            'IO Error: Input is not a GZIP stream: s3://lake-bucket/quarantine/acme/x.json.gz\n  at reader',
          );
        }
        return super.run(...args);
      }
    }
    const warnings: { message: string; fields: unknown }[] = [];
    const log = {
      ...silentLog,
      warn: (message: string, fields?: unknown) => warnings.push({ message, fields }),
    };
    const model = await buildReportModel(new FailingEngine(), {
      instance: 'acme',
      run: runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z')),
      log,
    });
    expect(model.uncountedSignIns).toBeUndefined();
    expect(model.uncountedSignInsNotChecked).toBe('IO Error: Input is not a GZIP stream: <address>');
    expect(model.failedLogins).toHaveLength(1);
    expect(warnings).toEqual([
      {
        message: expect.stringContaining('uncounted_sign_ins failed'),
        fields: expect.objectContaining({ instance: 'acme', isoWeek: '2026-W47' }),
      },
    ]);
    const { text, html } = parts(model);
    const reason = 'not checked (IO Error: Input is not a GZIP stream: <address>)';
    expect(text).toContain(`Sign-in and sign-out events not counted ${reason}`);
    expect(html).toContain(esc(`Sign-in and sign-out events not counted: ${reason}`));
  });

  it('still fails the report when another query fails', async () => {
    class FailingEngine extends FakeEngine {
      override async run(...args: Parameters<FakeEngine['run']>) {
        if (args[0] === 'failed_logins_and_lockouts') throw new Error('Access denied');
        return super.run(...args);
      }
    }
    await expect(
      buildReportModel(new FailingEngine(), {
        instance: 'acme',
        run: runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z')),
      }),
    ).rejects.toThrow('Access denied');
  });

  it('refuses a source the contract does not know', async () => {
    const engine = new FakeEngine({ ...CONTRACT_ROWS, uncounted_sign_ins: [row('other', 'LOGON', 1, 1)] });
    await expect(
      buildReportModel(engine, {
        instance: 'acme',
        run: runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z')),
      }),
    ).rejects.toThrow(
      'query uncounted_sign_ins returned source "other", expected unrecognised or quarantined',
    );
  });
});

describe('the failed-logins section', () => {
  it('keeps each count with its action type when the text part wraps', () => {
    const lines = renderText(week(UNCOUNTED, [])).split('\n');
    expect(lines.some((line) => /^×/.test(line))).toBe(false);
    expect(lines.join(' ')).toContain('LOGON\u00a0×1');
  });

  it('says what was not counted instead of "none", quarantined first, and how to fix the rules', () => {
    const { text, html } = parts(week(UNCOUNTED, []));
    const none = 'No failed logins or lockouts among the entries read.';
    expect(text).toContain(`${none} ${QUARANTINED}`);
    expect(text).toContain(UNRECOGNISED);
    expect(text.indexOf(UNRECOGNISED)).toBeGreaterThan(text.indexOf(QUARANTINED));
    expect(html).toContain(esc(`${none} ${QUARANTINED}`));
    expect(html).toContain(esc(UNRECOGNISED));
    for (const part of [text, html]) expect(part).not.toContain('No failed logins or lockouts this week.');
  });

  it('says it above the users when some failed logins were counted, in the muted colour', () => {
    const { text, html } = parts(week(UNCOUNTED));
    expect(text.indexOf(UNRECOGNISED)).toBeGreaterThan(text.indexOf('FAILED LOGINS AND LOCKOUTS'));
    expect(text.indexOf(UNRECOGNISED)).toBeLessThan(text.indexOf('User Failed Lockouts'));
    const at = html.indexOf(esc(UNRECOGNISED));
    const cell = html.slice(html.lastIndexOf('<td', at), at);
    expect(cell).toContain('colspan="5"');
    expect(cell).not.toContain('color:#b3261e'); // html-style.ts BAD
  });

  it('tells unrecognised sign-in events in a week with nothing quarantined', () => {
    const { quarantinedEntries: _, ...unrecognisedOnly } = UNCOUNTED;
    const { text } = parts(week({ ...unrecognisedOnly, quarantined: 0 }, [], 0));
    expect(text).toContain(`No failed logins or lockouts among the entries read. ${UNRECOGNISED}`);
    expect(text).not.toContain('could not be read');
  });

  it('says one of each in the singular', () => {
    const one: UncountedSignIns = {
      unrecognised: 1,
      quarantined: 1,
      actionTypes: [
        { source: 'unrecognised', actionType: 'LOGON', exampleText: null, entries: 1 },
        { source: 'quarantined', actionType: null, exampleText: null, entries: 1 },
      ],
    };
    const { text } = parts(week(one, [], 1));
    expect(text).toContain(
      'Not counted here: 1 entry of the week could not be read (quarantined), which looks like a sign-in or sign-out event (by actionType: none ×1); a failed login',
    );
    expect(text).toContain(
      'Not counted here: 1 entry of the week looks like a sign-in or sign-out event but the category rules did not recognise it (by actionType: LOGON ×1), so no login figure counts it; if it is a sign-in, failed sign-in or lockout, add its name to the category rules',
    );
  });

  it('counts the entries past the named action types as entries, not as action types', () => {
    const many: UncountedSignIns = { ...UNCOUNTED, unrecognised: 108 };
    const { text } = parts(week(many, []));
    expect(text).toContain('LOGON ×1, and 100 more entries)');
  });

  it('says "all of which" only when every entry the query read looks like a sign-in or sign-out event', () => {
    // The manifests count 5, as many as look like sign-ins, but the query read 8 entries.
    const read = parts(week({ ...UNCOUNTED, quarantinedEntries: 8 }, [], 5)).text;
    expect(read).toContain(
      "8 entries of the week could not be read (quarantined; 5 by the hours' manifests, as data health counts them: verify reports the difference), 5 of which look like sign-in or sign-out events (by actionType: LOGIN_FAILED ×5);",
    );
    const { text } = parts(week({ ...UNCOUNTED, quarantinedEntries: 5 }, [], 5));
    expect(text).toContain(
      '5 entries of the week could not be read (quarantined), all of which look like sign-in or sign-out events (by actionType: LOGIN_FAILED ×5);',
    );
  });

  it('keeps Domo strings on one line, without controls, escaped in the HTML', () => {
    const strange: UncountedSignIns = {
      unrecognised: 2,
      quarantined: 0,
      actionTypes: [
        { source: 'unrecognised', actionType: `LOG\nON\u202e${hostile('a')}`, exampleText: null, entries: 1 },
        {
          source: 'unrecognised',
          actionType: ' ',
          exampleText: `Signed\u2028in ${'x'.repeat(80)}`,
          entries: 1,
        },
      ],
    };
    const model = week(strange, [], 0);
    expect(renderText(model)).not.toMatch(/\u202e|\u2028/);
    expect(textWords(renderText(model))).toContain(
      `(by actionType: LOG ON${hostile('a')} ×1, none ×1 (text "Signed in ${'x'.repeat(49)}…"))`,
    );
    const html = renderHtml(model, reportSubject(model));
    expect(html).toContain(`LOG ON${hostileEscaped('a')}\u00a0×1`);
    expect(html).not.toContain(hostile('a'));
  });

  it('says only what it always said for a week without such entries, or a model archived before', () => {
    const before = week(undefined, [], 0);
    const none = week({ unrecognised: 0, quarantined: 0, actionTypes: [] }, [], 0);
    for (const model of [before, none]) {
      const { text, html } = parts(model);
      for (const part of [text, html]) {
        expect(part).toContain('No failed logins or lockouts this week.');
        expect(part).not.toContain('Sign-in and sign-out events not counted');
      }
    }
    // A model archived before the count, with quarantined entries: the sentence it always had.
    expect(parts(week(undefined, [], 25)).text).toContain(
      'Not counted here: 25 entries of the week could not be read (quarantined); a failed login or lockout among them',
    );
  });
});

describe('data health', () => {
  it('gives the uncounted sign-in events of each source', () => {
    const { text, html } = parts(week(UNCOUNTED));
    expect(text).toMatch(/Sign-in and sign-out events not counted +9 not recognised, 5 quarantined/);
    expect(html).toContain('Sign-in and sign-out events not counted: 9 not recognised, 5 quarantined');
  });
});

import { hash } from 'node:crypto';
import { expect, it } from 'vitest';
import { canonicalJson } from '../../../functions/core/domo/canonical-json.ts';
import { normaliseWindow } from '../../../functions/core/ingest/normalise-window.ts';
import { normaliseContextFor } from '../../support/normalise-context.ts';

const start = Date.parse('2026-11-17T09:00:00Z');
const window = { startMs: start, endMs: start + 3_600_000 };
const ctx = normaliseContextFor(window, '2026-12-01T21:00:00.000Z');
const served = (text: string) => ({ value: JSON.parse(text) as unknown, text });
const sha256 = (text: string) => hash('sha256', text, 'hex');

// Texts as Domo's JSON may spell them: a lone surrogate escaped, once in a name, once in a time
// string that cannot be read (its reason quotes it).
it('writes U+FFFD for a lone surrogate in the columns and in a reason, ids and raw as served', () => {
  const event = served(`{"time":${start + 1000},"userName":"Bo \\ud83d","objectName":"\\udc00 x"}`);
  const bad = served('{"time":"2026-11-17T09:00:00\\ud83d"}');
  const { records, quarantined } = normaliseWindow([event, bad], window, ctx);
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ user_name: 'Bo \ufffd', object_name: '\ufffd x', raw: event.text });
  expect(records[0]?.event_id).toBe(sha256(canonicalJson(event.value)));
  expect(quarantined).toHaveLength(1);
  expect(quarantined[0]?.raw).toBe(bad.text);
  expect(quarantined[0]?.reason).toContain('2026-11-17T09:00:00\ufffd');
  expect(quarantined[0]?.quarantine_id).toBe(sha256(canonicalJson(bad.value)));
});

// No escape at all: an emoji served as UTF-8 in a time string long enough to be cut in a reason.
it('cuts a quoted time string before an emoji, never inside it, and keeps every reason well-formed', () => {
  const time = `${'x'.repeat(56)}\u{1F600}${'y'.repeat(10)}`;
  const bad = served(JSON.stringify({ time }));
  const { quarantined } = normaliseWindow([bad], window, ctx);
  const reason = quarantined[0]?.reason ?? '';
  expect(reason).toContain(`"${'x'.repeat(56)}..."`);
  expect((reason as unknown as { isWellFormed(): boolean }).isWellFormed()).toBe(true);
});

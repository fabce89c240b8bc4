import { describe, expect, it } from 'vitest';
import { readIngestEvent } from '../../functions/ingest/ingest-event.ts';

describe('readIngestEvent', () => {
  it("treats the schedule's event, and anything without rePull, as a checkpoint run", () => {
    expect(readIngestEvent({ source: 'schedule', instance: 'acme' })).toEqual({ mode: 'checkpoint' });
    expect(readIngestEvent({})).toEqual({ mode: 'checkpoint' });
    expect(readIngestEvent(undefined)).toEqual({ mode: 'checkpoint' });
  });

  it('reads a re-pull of whole hours', () => {
    expect(readIngestEvent({ rePull: { from: '2026-10-01T00:00:00Z', to: '2026-10-02T00:00:00Z' } })).toEqual(
      {
        mode: 'range',
        fromMs: Date.parse('2026-10-01T00:00:00Z'),
        toMs: Date.parse('2026-10-02T00:00:00Z'),
      },
    );
  });

  it('names the bad field and shows the expected shape', () => {
    expect(() => readIngestEvent({ rePull: { from: 'yesterday', to: '2026-10-02T00:00:00Z' } })).toThrow(
      /invalid re-pull request: rePull\.from must be an ISO 8601 time.*Expected \{"rePull":\{"from":"<ISO time>","to":"<ISO time>"\}\}/,
    );
    expect(() => readIngestEvent({ rePull: { from: '2026-10-01T00:00:00Z' } })).toThrow(/rePull\.to must be/);
    expect(() =>
      readIngestEvent({
        rePull: { from: '2026-10-01T00:00:00Z', to: '2026-10-02T00:00:00Z', instance: 'x' },
      }),
    ).toThrow(/rePull has unknown key\(s\) instance/);
  });
});

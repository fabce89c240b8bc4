/**
 * A backlog of alerts larger than a call takes arguments (review R-LAST L4): `Math.min(...times)`
 * and `push(...alerts)` overflowed the stack at 150,000 alerts (a long backfill, or an outbox
 * refused for days). Each step that takes a whole backlog now loops.
 */
import { describe, expect, it } from 'vitest';
import { capOutbox, emptyChannel, foldOf } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { ARCHIVED_ALERTS } from '../../../functions/core/alerts/unlisted-alerts.ts';
import { appendAll } from '../../../functions/core/append-all.ts';
import { alertAt, NOW } from './support/delivery-fixtures.ts';

const MIN = 60_000;
const MANY = 200_000;
const backlog = Array.from({ length: MANY }, (_, i) => alertAt(`a${i}`, NOW - (MANY - i) * MIN));

describe('a backlog of 200,000 alerts', () => {
  it('is counted, from its oldest event to its newest', () => {
    const fold = foldOf(backlog);
    expect(fold).toMatchObject({ count: MANY, oldest_ms: NOW - MANY * MIN, newest_ms: NOW - MIN });
  });

  it('is capped in an outbox, the older ones folded', () => {
    const channel = emptyChannel();
    appendAll(channel.outbox, backlog);
    expect(channel.outbox).toHaveLength(MANY);
    expect(capOutbox(channel)).toBeGreaterThan(0);
    expect(channel.folded?.count).toBeGreaterThan(0);
  });

  it('is listed by a query of the days it spans', () => {
    const hint = ARCHIVED_ALERTS.howToList(backlog, 'acme');
    expect(hint.copy ?? hint.sentence).toContain("dt BETWEEN '2026-");
  });
});

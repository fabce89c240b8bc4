import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groundTruthToNdjson, writeGroundTruthNdjson } from '../../functions/simulator/ground-truth.ts';
import { startSimulator } from '../../functions/simulator/server.ts';
import type { SimEvent } from '../../functions/simulator/sim-event.ts';

const AT = Date.parse('2026-11-20T10:00:00Z');
const view = (timeMs: number, userId: string): SimEvent => ({
  timeMs,
  entry: {
    actionType: 'VIEWED',
    eventText: 'Viewed card',
    objectId: '42',
    userId,
    userName: `User ${userId}`,
  },
});

describe('ground truth', () => {
  it('marks entries that serve byte-identical JSON (second-precision doc strings) as twins of the first', async () => {
    const sim = await startSimulator({
      clock: () => AT + 60_000,
      timeFormat: 'docString',
      events: [view(AT + 100, 'u1'), view(AT + 900, 'u1'), view(AT + 500, 'u2')],
    });
    const truth = sim.groundTruth();
    await sim.close();
    expect(truth.map((g) => [g.timeMs, g.twinOf])).toEqual([
      [AT + 900, undefined],
      [AT + 500, undefined],
      [AT + 100, 0],
    ]);
    expect(truth[2]?.served).toEqual(truth[0]?.served);
    expect(truth[0]?.served).toMatchObject({ time: '2026-11-20 10:00:00 AM' });
  });

  it('writes NDJSON, one entry per line, that reads back equal', async () => {
    const sim = await startSimulator({
      clock: () => AT + 60_000,
      events: [view(AT, 'u1'), view(AT + 1, 'u2')],
    });
    const truth = sim.groundTruth();
    await sim.close();
    const dir = await mkdtemp(join(tmpdir(), 'sim-truth-'));
    try {
      const file = join(dir, 'truth.ndjson');
      await writeGroundTruthNdjson(file, truth);
      const text = await readFile(file, 'utf8');
      expect(text).toBe(groundTruthToNdjson(truth));
      const lines = text.split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.map((l) => JSON.parse(l))).toEqual(truth);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(groundTruthToNdjson([])).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { advanceCheckpoint, readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { checkpointKey } from '../../../functions/core/lake/layout.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const h = (hour: number) => Date.parse('2026-10-01T00:00:00Z') + hour * 3_600_000;
const step = (watermarkMs: number, runId: string) => ({
  watermarkMs,
  runId,
  codeVersion: '1.2.3',
  now: Date.parse('2026-10-02T12:00:00Z'),
});

// Every flush of a run asks to advance the checkpoint; most ask for the watermark already stored.
// Writing it again would cost a PUT each time and move the ETag under a run that read it.
describe('a checkpoint advanced to the watermark it already holds', () => {
  it('is not written again, read first or passed in', async () => {
    const store = new MemoryObjectStore();
    await advanceCheckpoint(store, 'acme', step(h(5), 'run-1'));
    const stored = store.objects.get(checkpointKey('acme'));

    const reread = await advanceCheckpoint(store, 'acme', step(h(5), 'run-2'));
    const read = await readCheckpoint(store, 'acme');
    const passed = await advanceCheckpoint(store, 'acme', step(h(5), 'run-3'), read);

    expect(store.puts).toHaveLength(1);
    expect(reread).toMatchObject({ watermark_ms: h(5), run_id: 'run-1' });
    expect(passed).toEqual(read?.checkpoint);
    expect(store.objects.get(checkpointKey('acme'))).toEqual(stored);
  });
});

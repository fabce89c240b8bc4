import { describe, expect, it } from 'vitest';
import { FirstDeployView } from '../../functions/cli/first-deploy-view.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';

const body = new TextEncoder().encode('{}');
const keys = [
  'alerts-state/instance=main/checkpoint.json',
  'alerts/instance=main/dt=2026-11-01/a.json',
  'alerts/instance=main2/dt=2026-11-01/b.json',
  'alerts-state/instance=other/checkpoint.json',
  'activity_log/instance=main/dt=2026-11-01/2026-11-01T00.ndjson.gz',
];

async function listed(store: FirstDeployView, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const key of store.list(prefix)) found.push(key);
  return found.sort();
}

describe('FirstDeployView', () => {
  it("hides the instance's alerts checkpoint and archive from get and list, and nothing else", async () => {
    const lake = new MemoryObjectStore();
    for (const key of keys) await lake.put(key, body);
    const view = new FirstDeployView(lake, 'main');
    expect(await view.get(keys[0] as string)).toBeUndefined();
    expect(await view.get(keys[1] as string)).toBeUndefined();
    for (const key of keys.slice(2)) expect(await view.get(key), key).toBeDefined();
    expect(await listed(view, 'alerts')).toEqual([
      'alerts-state/instance=other/checkpoint.json',
      'alerts/instance=main2/dt=2026-11-01/b.json',
    ]);
    expect(await listed(view, 'alerts/instance=main/')).toEqual([]);
    expect(await listed(view, 'activity_log/')).toEqual([keys[4]]);
  });
});

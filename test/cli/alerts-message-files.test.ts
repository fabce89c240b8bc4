import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  clearEarlierMessage,
  MESSAGE_OWNER_FILE,
  type MessageOwner,
  ownMessage,
} from '../../functions/cli/alerts-message-files.ts';

const mine: MessageOwner = { lake: '/lakes/a', instance: 'main' };
let dir: string;
let message: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alerts-message-'));
  message = join(dir, 'alerts.eml');
  await writeFile(message, 'Subject: alerts\r\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('clearEarlierMessage', () => {
  it("removes its own lake and instance's message and the owner file", async () => {
    await ownMessage(dir, mine);
    expect(await clearEarlierMessage(dir, [message], mine)).toEqual({ kind: 'removed', paths: [message] });
    expect(await readdir(dir)).toEqual([]);
  });

  it("keeps another instance's or lake's message, saying whose it is", async () => {
    for (const other of [
      { ...mine, instance: 'acme' },
      { ...mine, lake: '/lakes/b' },
    ]) {
      await ownMessage(dir, other);
      expect(await clearEarlierMessage(dir, [message], mine)).toEqual({
        kind: 'kept',
        paths: [message],
        owner: other,
      });
      expect((await readdir(dir)).sort()).toEqual(['alerts.eml', MESSAGE_OWNER_FILE]);
    }
  });

  it('keeps a message whose owner file is unreadable or not an owner, naming none', async () => {
    for (const text of ['{"lake": "/lakes/a"', '{"lake": "/lakes/a", "instance": 7}', '[]']) {
      await writeFile(join(dir, MESSAGE_OWNER_FILE), text);
      expect(await clearEarlierMessage(dir, [message], mine), text).toEqual({
        kind: 'kept',
        paths: [message],
      });
    }
  });
});

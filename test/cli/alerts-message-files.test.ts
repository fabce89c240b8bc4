import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  clearEarlierMessage,
  MESSAGE_OWNER_FILE,
  type MessageOwner,
  ownMessage,
  writeOwnedMessage,
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

describe('writeOwnedMessage', () => {
  const other: MessageOwner = { lake: '/lakes/b', instance: 'main' };
  const owned = async () => JSON.parse(await readFile(join(dir, MESSAGE_OWNER_FILE), 'utf8'));

  it('names the new owner once the message is written', async () => {
    await ownMessage(dir, other);
    await expect(writeOwnedMessage(dir, mine, async () => 'sent')).resolves.toBe('sent');
    expect(await owned()).toEqual(mine);
  });

  it('has no owner file while the message is written: it is no longer the earlier one', async () => {
    await ownMessage(dir, other);
    await writeOwnedMessage(dir, mine, async () => {
      expect(await readdir(dir)).not.toContain(MESSAGE_OWNER_FILE);
    });
  });

  it('puts the earlier owner file back with the earlier message when the write fails', async () => {
    await ownMessage(dir, other);
    const before = await readFile(join(dir, MESSAGE_OWNER_FILE), 'utf8');
    await expect(
      writeOwnedMessage(dir, mine, async () => {
        throw new Error('EIO: i/o error');
      }),
    ).rejects.toThrow('EIO');
    expect(await readFile(join(dir, MESSAGE_OWNER_FILE), 'utf8')).toBe(before);
    // A later run of that lake finding no alert removes its message again.
    expect(await clearEarlierMessage(dir, [message], other)).toEqual({ kind: 'removed', paths: [message] });
  });

  it('leaves no owner file after a failed first write', async () => {
    await expect(
      writeOwnedMessage(dir, mine, async () => {
        throw new Error('EIO: i/o error');
      }),
    ).rejects.toThrow('EIO');
    expect(await readdir(dir)).not.toContain(MESSAGE_OWNER_FILE);
  });
});

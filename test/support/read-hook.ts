import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

/**
 * Runs `act` with `onRead(path, text)` awaited after each readFile of node:fs/promises has read
 * `path` (a throw there fails that read), then puts readFile back.
 */
export async function withReadHook<R>(
  onRead: (path: string, text: string) => void | Promise<void>,
  act: () => Promise<R>,
): Promise<R> {
  const original = fs.promises.readFile;
  fs.promises.readFile = (async (...args: Parameters<typeof original>) => {
    const result = await original(...args);
    await onRead(String(args[0]), String(result));
    return result;
  }) as typeof original;
  syncBuiltinESMExports();
  try {
    return await act();
  } finally {
    fs.promises.readFile = original;
    syncBuiltinESMExports();
  }
}

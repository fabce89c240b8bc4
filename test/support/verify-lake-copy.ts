import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from './capture-io.ts';

/** A copy of the lake `clean` at `dir/name`, to tamper with. */
export async function lakeCopy(clean: string, dir: string, name: string): Promise<string> {
  const lake = join(dir, name);
  await cp(clean, lake, { recursive: true });
  return lake;
}

/** `verify --lake <lake> --instance acme [--integrity]`, with its status and output. */
export async function verifyAcme(lake: string, integrity: boolean) {
  const io = captureIo();
  const args = ['verify', '--lake', lake, '--instance', 'acme', ...(integrity ? ['--integrity'] : [])];
  return { code: await main(args, io.io), stdout: io.stdout(), stderr: io.stderr() };
}

/** Where the key `key` of the lake at `lake` is on disk. */
export const pathOf = (lake: string, key: string): string => join(lake, ...key.split('/'));

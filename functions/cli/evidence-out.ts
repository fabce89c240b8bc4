import { lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { BundleFile } from '../core/evidence/evidence-bundle.ts';
import { UsageError } from './usage-error.ts';

/**
 * The folder an evidence bundle is written into: a new one, or one that is there and empty. A
 * folder that holds anything is refused (a usage error): a bundle's SHA256SUMS lists its own files,
 * and a file left by anything else beside them would be handed over as if it were evidence.
 */
export function assertNewBundleFolder(out: string): void {
  const path = resolve(out);
  let isDirectory: boolean;
  try {
    isDirectory = lstatSync(path).isDirectory();
  } catch {
    return;
  }
  if (!isDirectory) {
    throw new UsageError(
      `--out ${out} is a file: evidence writes a bundle into a new (or empty) folder; name one`,
    );
  }
  const held = readdirSync(path);
  if (held.length > 0) {
    throw new UsageError(
      `--out ${out} is not empty (it holds ${held.length} entr${held.length === 1 ? 'y' : 'ies'}): evidence writes a bundle only into a new or empty folder, so that every file in it is one it wrote and lists; name a new folder`,
    );
  }
}

/** The bundle's folder as written: made (with its parents) when missing, and undone on failure. */
export class BundleFolder {
  readonly path: string;
  private readonly made: boolean;

  constructor(out: string) {
    this.path = resolve(out);
    let there = true;
    try {
      lstatSync(this.path);
    } catch {
      there = false;
    }
    mkdirSync(this.path, { recursive: true });
    this.made = !there;
  }

  /** The absolute path of a file of the bundle (`/`-separated inside it). */
  pathOf(file: string): string {
    return join(this.path, ...file.split('/'));
  }

  /** Makes a folder of the bundle (`/`-separated inside it), for a file another command writes. */
  makeFolder(folder: string): void {
    mkdirSync(this.pathOf(folder), { recursive: true });
  }

  write(file: BundleFile): void {
    const path = this.pathOf(file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.body, { flag: 'wx' });
  }

  /** Removes what was written: the folder when this made it, else everything in it (it was empty). */
  discard(): void {
    if (this.made) {
      rmSync(this.path, { recursive: true, force: true });
      return;
    }
    for (const entry of readdirSync(this.path))
      rmSync(join(this.path, entry), { recursive: true, force: true });
  }
}

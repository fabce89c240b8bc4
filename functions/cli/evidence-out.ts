import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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

/**
 * The bundle's folder as written: built whole in a sibling folder (`<out>.incomplete-<random>`) and
 * renamed to `out` once every file is in it, so that `out` never holds half a bundle, even for a
 * moment (a run killed, the machine stopped): what a failure leaves is a folder named incomplete.
 */
export class BundleFolder {
  /** Where the bundle goes: the folder named by `out`, absolute. */
  readonly path: string;
  /** Where it is built. */
  private readonly building: string;

  constructor(out: string) {
    this.path = resolve(out);
    mkdirSync(dirname(this.path), { recursive: true });
    this.building = mkdtempSync(`${this.path}.incomplete-`);
  }

  /** The absolute path, while the bundle is built, of a file of it (`/`-separated inside it). */
  pathOf(file: string): string {
    return join(this.building, ...file.split('/'));
  }

  /** The folder the bundle is built in: what a file written by another command names until {@link finish}. */
  get buildingPath(): string {
    return this.building;
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

  /**
   * Puts the bundle at its place: an empty folder there (checked so when the run began) is removed
   * first, as Windows renames onto no folder; one that took a file since fails, the bundle kept
   * out of it (and removed by {@link discard}).
   */
  finish(): void {
    try {
      rmdirSync(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    renameSync(this.building, this.path);
  }

  /** Removes what was written: the folder it was built in. */
  discard(): void {
    rmSync(this.building, { recursive: true, force: true });
  }
}

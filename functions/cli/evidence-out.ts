import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { BundleEntry, BundleFile } from '../core/evidence/evidence-bundle.ts';
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
 * A file of the bundle written a piece at a time and hashed as it goes, so that a file larger than
 * the heap (a year of every event) is never held whole: its entry (SHA-256, size) comes from
 * {@link close}. Created new (`wx`), as every file of the bundle.
 */
export class StreamedBundleFile {
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private open = true;

  /** `path`: inside the bundle (`/`-separated); `absolute`: where it is written. */
  constructor(
    readonly path: string,
    absolute: string,
  ) {
    mkdirSync(dirname(absolute), { recursive: true });
    this.fd = openSync(absolute, 'wx');
  }

  /** Appends `text`, UTF-8. */
  write(text: string): void {
    const chunk = Buffer.from(text, 'utf8');
    for (let at = 0; at < chunk.byteLength; ) at += writeSync(this.fd, chunk, at);
    this.hash.update(chunk);
    this.bytes += chunk.byteLength;
  }

  /** Closes the file; its entry: the SHA-256 and size of every byte written. */
  close(): BundleEntry {
    this.release();
    return { path: this.path, sha256: this.hash.digest('hex'), bytes: this.bytes };
  }

  /** Closes the file, if still open, without an entry (the bundle is being discarded). */
  release(): void {
    if (!this.open) return;
    this.open = false;
    closeSync(this.fd);
  }
}

/**
 * The lines of a file (each without its `\n`; a last line without one counts too), read a piece
 * at a time: a file larger than the heap is read past, never held.
 */
export async function* fileLines(path: string): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of createReadStream(path)) {
    rest += decoder.write(chunk as Buffer);
    let start = 0;
    for (let end = rest.indexOf('\n'); end !== -1; end = rest.indexOf('\n', start)) {
      yield rest.slice(start, end);
      start = end + 1;
    }
    rest = rest.slice(start);
  }
  rest += decoder.end();
  if (rest !== '') yield rest;
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
  /** The files written a piece at a time, closed or not: closed by {@link discard} too. */
  private readonly streamed: StreamedBundleFile[] = [];

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

  /** A file of the bundle to write a piece at a time (`/`-separated inside it). */
  stream(path: string): StreamedBundleFile {
    const file = new StreamedBundleFile(path, this.pathOf(path));
    this.streamed.push(file);
    return file;
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
    for (const file of this.streamed) file.release();
    rmSync(this.building, { recursive: true, force: true });
  }
}

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as z from 'zod';
import { errorMessage } from '../core/error-message.ts';
import type { KnownVersion, KnownVersionsFileNote } from '../core/lake/known-versions.ts';
import { writeFileWhole } from './atomic-file.ts';
import { readJsonFile } from './json-file.ts';
import { UsageError } from './usage-error.ts';

const FORMAT = 'domo-activity-lake/known-versions@1';

const fileSchema = z.object({
  format: z.literal(FORMAT),
  lake: z.string(),
  instance: z.string(),
  written_at: z.string(),
  // How many checks wrote the file, this one included: the turn of the share re-read. Absent in
  // files written before it was kept (taken as 0).
  checks: z.number().int().nonnegative().optional(),
  versions: z.array(
    z.object({
      key: z.string(),
      version_id: z.string(),
      etag: z.string(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});

/** The `--known-versions` file as read: the lake and instance it is of, and its versions by key. */
export interface KnownVersionsFile {
  path: string;
  /** Absent: the file is not there yet (the first routine check, which reads every object). */
  of?: { lake: string; instance: string };
  versions: Map<string, KnownVersion>;
  /** How many checks wrote it (0: none yet, or a file written before they were counted). */
  checks: number;
  /** The file as read, for the report (absent: not there yet). */
  read?: NonNullable<KnownVersionsFileNote['read']>;
}

const sha256Of = (bytes: string | Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Reads the versions an earlier check wrote to `path`; none when the file is not there yet. One
 * that is not such a file is a usage error: taken for none, it would make a routine check read the
 * whole lake, the cost this file saves, with no word why.
 */
export function readKnownVersions(path: string): KnownVersionsFile {
  if (!existsSync(path)) return { path, versions: new Map(), checks: 0 };
  let parsed: z.infer<typeof fileSchema>;
  try {
    parsed = fileSchema.parse(readJsonFile(path));
  } catch (error) {
    throw new UsageError(
      `--known-versions ${path}: not a file of versions verify wrote (${errorMessage(error).split('\n')[0]}). Give the file an earlier verify --integrity --known-versions wrote, or a path where none is yet`,
    );
  }
  const versions = new Map(
    parsed.versions.map((v) => [
      v.key,
      { key: v.key, versionId: v.version_id, etag: v.etag, sha256: v.sha256 },
    ]),
  );
  // The bytes read, hashed as they are: the sha256 an auditor compares with the one noted last time.
  const read = { sha256: sha256Of(readFileSync(path)), writtenAt: parsed.written_at, entries: versions.size };
  const of = { lake: parsed.lake, instance: parsed.instance };
  return { path, of, versions, checks: parsed.checks ?? 0, read };
}

/**
 * Refuses to take a file whose bytes, as read, are not the ones noted (`--expect-known-versions`:
 * the sha256 the previous check said it wrote). The check's pass rests on the file: someone who can
 * edit it between two checks could otherwise name a forged version with an object's old sha256 and
 * have it skipped unread. Not a usage error (exit 1): the option is right, the file is not the one
 * left, which whoever runs the check must look into.
 */
export function refuseUnexpectedFile(file: KnownVersionsFile, expectedSha256: string | undefined): void {
  if (expectedSha256 === undefined || file.read?.sha256 === expectedSha256) return;
  const found = file.read ? `has sha256 ${file.read.sha256} as read` : 'is not there';
  throw new Error(
    `--known-versions ${file.path} ${found}, not the ${expectedSha256} --expect-known-versions gives (the sha256 the previous check wrote): the file was edited, replaced or restored since, so nothing was read. Find out why; a check without --known-versions reads every object, and one with a new file writes it afresh`,
  );
}

/** `--expect-known-versions`: a sha256, 64 hex digits (either case). */
export function parseExpectedSha256(text: string): string {
  const sha256 = text.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(sha256))
    throw new UsageError(
      `--expect-known-versions ${text}: give the sha256 (64 hex digits) the previous check's "known versions:" line says it wrote`,
    );
  return sha256;
}

/**
 * Refuses a file of another lake or instance: its versions would match nothing (S3 gives each
 * bucket's writes their own ids), so the check would read everything while it looks routine.
 */
export function refuseOtherLake(file: KnownVersionsFile, lake: string, instance: string): void {
  if (file.of === undefined || (file.of.lake === lake && file.of.instance === instance)) return;
  throw new UsageError(
    `--known-versions ${file.path}: the file is of instance "${file.of.instance}" at ${file.of.lake}, not of "${instance}" at ${lake}. Give each lake and instance a file of its own`,
  );
}

/**
 * Refuses, before anything is read, a path the file cannot be written to (a folder missing or not
 * writable): the check would otherwise read the whole lake, the cost the file saves, and only then
 * fail to keep what it saw (review revid4 L4). Writes and removes the temporary file the write uses.
 */
export function assertKnownVersionsWritable(path: string): void {
  const temporary = temporaryOf(path);
  try {
    writeFileSync(temporary, '');
    rmSync(temporary, { force: true });
  } catch (error) {
    throw new UsageError(
      `--known-versions ${path}: the file cannot be written there (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}): give a path in a folder that exists and that you can write to`,
    );
  }
}

const temporaryOf = (path: string): string => `${path}.${process.pid}.tmp`;

/**
 * Writes the versions this check saw, replacing the file whole (a check killed midway leaves the old
 * one, and a write that fails leaves no temporary file beside it); what it wrote, for the report.
 */
export function writeKnownVersions(
  path: string,
  of: { lake: string; instance: string; nowMs: number; checks: number },
  versions: readonly KnownVersion[],
): NonNullable<KnownVersionsFileNote['written']> {
  const body = {
    format: FORMAT,
    lake: of.lake,
    instance: of.instance,
    written_at: new Date(of.nowMs).toISOString(),
    checks: of.checks,
    versions: [...versions]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((v) => ({ key: v.key, version_id: v.versionId, etag: v.etag, sha256: v.sha256 })),
  };
  const text = `${JSON.stringify(body)}\n`;
  writeFileWhole(path, text);
  return { sha256: sha256Of(text), entries: body.versions.length };
}

import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import * as z from 'zod';
import { errorMessage } from '../error-message.ts';
import { type ObjectStore, PreconditionFailedError } from '../ports.ts';
import { firstMissingFrom } from './chain-end-search.ts';
import { type DigestRunner, digestRunnerSchema, type StoredDigestRunner } from './digest-runner.ts';
import {
  digestKey,
  digestPrefix,
  digestSequenceFromKey,
  type LakeTable,
  TABLE_PREFIXES,
  tableInstancePrefix,
} from './layout.ts';
import { encodedLineCount } from './ndjson.ts';

/**
 * The digest chain, CloudTrail-style: each digest lists objects of one instance's tables (key,
 * SHA-256, bytes, records) and names the digest before it by key and SHA-256, so the chain covers
 * the whole history. Digests are written create-only under consecutive numbers, so overlapping runs
 * cannot fork the chain: the loser of a number takes the next one.
 */

export const DIGEST_FORMAT = 'domo-activity-lake/digest@1';

/**
 * How a digest knows an object's bytes:
 * - `write`: this run wrote them (`replaced` is the SHA-256 of the version it read first, if any);
 * - `read`: this run read them while re-pulling the hour (what a run that crashed before its
 *   digest left behind gets recorded by);
 * - `adopt`: the first (genesis) digest of a lake written before digests existed lists what it found.
 */
type DigestHow = 'write' | 'read' | 'adopt';

export interface DigestEntry {
  key: string;
  sha256: string;
  bytes: number;
  /**
   * Lines of a `.ndjson.gz` object; null for JSON documents, and for the objects a run's opening
   * sweep read (only their bytes matter there, and counting would unzip every one of them).
   */
  records: number | null;
  how: DigestHow;
  replaced?: string | null;
}

/**
 * A write a run is about to make: the key and the SHA-256 of the bytes it puts there. A run lists
 * each in a digest appended before the put, so that, should it die before the digest listing the
 * write, the bytes it left are vouched for by a digest (signed, when the stack signs) and no others:
 * a forgery made in the hours of a dead run is not one of them.
 */
export interface DigestIntent {
  key: string;
  sha256: string;
}

export interface DigestLink {
  key: string;
  sha256: string;
}

interface DigestSignature {
  algorithm: 'ECDSA_SHA_256';
  key_id: string;
  /** Base64 DER signature over the digest's bytes without this field ({@link signedBytes}). */
  value: string;
}

export type DigestRunMode = 'checkpoint' | 'range';

export interface Digest {
  format: typeof DIGEST_FORMAT;
  instance: string;
  sequence: number;
  run_id: string;
  created_at: string;
  previous: DigestLink | null;
  genesis: boolean;
  /**
   * On a genesis only: its run was told to begin the chain anew over hours a version recording
   * every run wrote (their digests gone), and did (chain-restart-guard.ts). Absent otherwise.
   */
  restarted?: true;
  /** False until the run's last digest: an unsealed head means that run died (or still runs). */
  sealed: boolean;
  /** The first hour the run pulls: where the next run looks for what a dead run left. */
  from_ms: number | null;
  /**
   * The end (exclusive) of the hours the run pulls, where the next run stops looking. Absent
   * (unknown: no end) in digests written before it was recorded, and for runs that do not say.
   */
  to_ms?: number | null;
  /**
   * Where the run began in the chain: the number after the head its opening found and swept from
   * (its first digest's number, unless another run appended in between). When the run seals, runs
   * whose last digest is before it are closed, and a run walking the chain back from its head stops
   * there (see digest-open-runs.ts). Absent in digests written before it was recorded.
   */
  began?: number;
  /**
   * How an ingest run planned its hours: `range` for a re-pull of given hours (`--from/--to`),
   * `checkpoint` for one from the watermark. What `verify` calls the hours of a run in progress
   * before the watermark (runs-in-progress.ts). Absent in digests written before it was recorded,
   * and in those of work other than the ingest (enrich).
   */
  mode?: DigestRunMode;
  /**
   * Whether this digest or one before it in the chain is of a run in `checkpoint` mode: a lake
   * whose schedule began once is never taken for one filled by ranges only, however many digests
   * follow (`status`, scheduled-run-begun.ts). Carried from the digest before; absent where that one
   * does not say (digests of older versions, and those after them).
   */
  checkpoint_seen?: boolean;
  /**
   * Who ran the run and what it read ({@link DigestRunner}): covered by the signature like every
   * field but `signature`. Absent in digests written before it was recorded (2026-12-06).
   */
  runner?: StoredDigestRunner;
  /**
   * The deployment's `retention.maxDays` as the run knew it (null: none set), signed with the rest:
   * the only bound `verify --integrity` takes for hours aged out by policy (signed-retention.ts), as
   * the lake's run records are unsigned. Absent where the run did not know it (the command line's)
   * and in digests written before it was recorded.
   */
  max_days?: number | null;
  objects: DigestEntry[];
  /**
   * The writes the run is about to make ({@link DigestIntent}). Present (empty or not) in every
   * digest of a run that lists its writes before making them; absent in digests of older versions,
   * whose dead runs' writes nothing vouches for.
   */
  intents?: DigestIntent[];
  signature?: DigestSignature;
}

const entrySchema = z.lazy(() =>
  z.object({
    key: z.string(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    bytes: z.number().int().nonnegative(),
    records: z.number().int().nonnegative().nullable(),
    how: z.enum(['write', 'read', 'adopt']),
    replaced: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullish(),
  }),
);

const digestSchema = z.lazy(() =>
  z.object({
    format: z.literal(DIGEST_FORMAT),
    instance: z.string(),
    sequence: z.number().int().nonnegative(),
    run_id: z.string(),
    // Readers of the chain's end stop on it (how far back to read): one that does not parse would
    // read as NaN and have them read the whole chain, and a run never writes one (review STATUS9).
    created_at: z
      .string()
      .refine((at) => Number.isFinite(Date.parse(at)), 'created_at is not a date and time'),
    previous: z.object({ key: z.string(), sha256: z.string() }).nullable(),
    genesis: z.boolean(),
    restarted: z.literal(true).optional(),
    // Absent from the digests of the chain's first version (4cd0c6e, 2026-11-30): how it reads
    // is the reader's choice ({@link FirstVersionDigests}). Those digests said nothing of the
    // hours their run pulled either.
    sealed: z.boolean().optional(),
    from_ms: z.number().int().nullable().default(null),
    to_ms: z.number().int().nullish(),
    began: z.number().int().nonnegative().optional(),
    mode: z.enum(['checkpoint', 'range']).optional(),
    checkpoint_seen: z.boolean().optional(),
    runner: digestRunnerSchema.optional(),
    max_days: z.number().int().nullable().optional(),
    objects: z.array(entrySchema),
    intents: z.array(z.object({ key: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).optional(),
    signature: z
      .object({ algorithm: z.literal('ECDSA_SHA_256'), key_id: z.string(), value: z.string() })
      .optional(),
  }),
);

/** Signs digests (a KMS asymmetric key in the stack); offline verification needs only the public key. */
export interface DigestSigner {
  readonly keyId: string;
  /** ECDSA P-256 over SHA-256 of `message`, DER-encoded. */
  sign(message: Uint8Array): Promise<Uint8Array>;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Lines of a gzip NDJSON object, or null when the key is not one (or the bytes do not decode). */
export function recordsOf(key: string, body: Uint8Array): number | null {
  if (!key.endsWith('.ndjson.gz')) return null;
  // A body this process just encoded: its line count is known without unzipping it again.
  const known = encodedLineCount(body);
  if (known !== undefined) return known;
  try {
    const text = gunzipSync(body);
    // indexOf scans natively; iterating the bytes in JavaScript took ~13 µs per 1.5 KB line.
    let lines = 0;
    for (let at = text.indexOf(0x0a); at !== -1; at = text.indexOf(0x0a, at + 1)) lines++;
    return lines;
  } catch {
    return null;
  }
}

/** Prefixes the chain covers for one instance: its tables. State (the checkpoint) is bookkeeping, not evidence. */
export const digestScopePrefixes = (instance: string): string[] =>
  (Object.keys(TABLE_PREFIXES) as LakeTable[]).map((table) => tableInstancePrefix(table, instance));

export const inDigestScope = (instance: string, key: string): boolean =>
  digestScopePrefixes(instance).some((prefix) => key.startsWith(prefix));

const encoder = new TextEncoder();

/** The bytes a signature covers: the digest's JSON without its `signature` field. */
const signedBytes = (digest: Digest): Uint8Array => {
  const { signature: _ignored, ...unsigned } = digest;
  return encoder.encode(JSON.stringify(unsigned));
};

/**
 * The bytes the signature of a stored digest covers, rebuilt from its stored text (so the key
 * order is the writer's, whatever a schema does to it).
 */
export const storedSignedBytes = (body: Uint8Array): Uint8Array => {
  const { signature: _ignored, ...unsigned } = JSON.parse(new TextDecoder().decode(body));
  return encoder.encode(JSON.stringify(unsigned));
};

export const encodeDigest = (digest: Digest): Uint8Array => encoder.encode(`${JSON.stringify(digest)}\n`);

/**
 * How a digest of the chain's first version (4cd0c6e, 2026-11-30), which has no `sealed`, reads.
 * That version appended a digest before every checkpoint write and one when the run ended, and
 * none said which was the last: a run killed between two checkpoints (after dozens of digests)
 * looks like a run that ended, though the hour it was writing is in none of them.
 * - `sealed`, for the ingest: each closes its run. Read as open, a first-version head would make
 *   the next run's opening sweep read hours of no known bounds (the whole lake), and a run that
 *   cannot finish that sweep fails, so every run would.
 * - `open`, for `verify --integrity`: their runs stay open until a run that began after their
 *   last digest seals (the first run of a later version), so a version first recorded by a read
 *   before that is listed as possibly a dead run's write, not reported as changed outside the
 *   ingest. For the chain's first version that is all verify can know: a forgery and a killed
 *   run's write look alike there.
 */
type FirstVersionDigests = 'sealed' | 'open';

/** Fields written only by versions that also write `sealed`. */
const LATER_FIELDS = ['from_ms', 'to_ms', 'began', 'runner', 'max_days'] as const;

/** Parses a stored digest; throws with the key and the problem when it is not one. */
export function decodeDigest(
  key: string,
  body: Uint8Array,
  firstVersion: FirstVersionDigests = 'sealed',
): Digest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (error) {
    throw new Error(`digest ${key} is not valid JSON: ${errorMessage(error)}`);
  }
  const result = digestSchema.safeParse(parsed);
  if (!result.success) {
    throw new Error(`digest ${key} is not a ${DIGEST_FORMAT} document: ${result.error.issues[0]?.message}`);
  }
  // `sealed` came with `from_ms`, and `to_ms`, `began` and `runner` later: only a digest edited since it was
  // written has them without it, and it must not pass for a first-version run left open.
  const later = LATER_FIELDS.filter((field) => Object.hasOwn(parsed as object, field));
  if (result.data.sealed === undefined && later.length > 0) {
    throw new Error(
      `digest ${key} has ${later.join(', ')} but no sealed, which every version writing those fields also writes: it was edited after it was written`,
    );
  }
  return { ...result.data, sealed: result.data.sealed ?? firstVersion === 'sealed' } as Digest;
}

/**
 * A digest a run must read to append to the chain (its opening walks back from the head). One that
 * is not a digest stops every run, since the chain cannot be read past it: the error says where to
 * look, and how to get out without losing the evidence.
 */
export function decodeChainDigest(key: string, body: Uint8Array): Digest {
  try {
    return decodeDigest(key, body);
  } catch (error) {
    throw new Error(
      `${errorMessage(error)}. No run can append to the digest chain past it, so every run fails until it is dealt with. The integrity check of verify reports it as bad-digest; see docs/operations.md, "A digest of the chain is not a digest", before removing anything`,
    );
  }
}

/** Every digest key of an instance, in chain order; `onOther` is given every other key listed there. */
export async function listDigestKeys(
  store: ObjectStore,
  instance: string,
  onOther?: (key: string) => void,
): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.list(digestPrefix(instance))) {
    if (digestSequenceFromKey(key) !== undefined) keys.push(key);
    else onOther?.(key);
  }
  return keys;
}

/** Digest keys read at most in one look past a number: one S3 page. */
const LOOK_PAST_KEYS = 1000;

/**
 * The last of the digest keys listed after number `after` (-1: from the first), reading at most
 * {@link LOOK_PAST_KEYS} of them; `more` when it stopped there, before the end of the chain. One
 * listing request on S3 (`StartAfter`): what tells the chain's end from a gap.
 */
export async function lookPast(
  store: ObjectStore,
  instance: string,
  after: number,
): Promise<{ last: number | undefined; more: boolean }> {
  const startAfter = after < 0 ? digestPrefix(instance) : digestKey(instance, after);
  let last: number | undefined;
  let seen = 0;
  for await (const key of store.list(digestPrefix(instance), { startAfter, pageSize: LOOK_PAST_KEYS })) {
    const sequence = digestSequenceFromKey(key);
    // A store that ignores startAfter lists from the start.
    if (sequence === undefined || sequence <= after) continue;
    last = sequence;
    seen++;
    if (seen === LOOK_PAST_KEYS) return { last, more: true };
  }
  return { last, more: false };
}

type DigestHead = {
  sequence: number;
  link: DigestLink;
  /** The head's {@link Digest.checkpoint_seen}, or true for a head in `checkpoint` mode; undefined when unknown. */
  checkpointSeen?: boolean;
};

/**
 * What the digest `body` says of {@link Digest.checkpoint_seen}, read without decoding its entries:
 * undefined for one that does not say, or is not a digest (the append fails or verify reports it).
 */
function checkpointSeenOf(body: Uint8Array): boolean | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body).toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { mode, checkpoint_seen: seen } = parsed as { mode?: unknown; checkpoint_seen?: unknown };
    if (mode === 'checkpoint') return true;
    return typeof seen === 'boolean' ? seen : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The head as read from the store: with its body, which the caller decodes if it needs the
 * digest (the opening's walk back, the signer's key) rather than GET it a second time.
 */
export type ReadHead = DigestHead & { body: Uint8Array };

/** The head at `sequence`, its body `body`. */
const headOf = (sequence: number, key: string, body: Uint8Array): ReadHead => {
  const seen = checkpointSeenOf(body);
  return {
    sequence,
    link: { key, sha256: sha256Hex(body) },
    ...(seen === undefined ? {} : { checkpointSeen: seen }),
    body,
  };
};

/** The head by listing the whole chain: what the search falls back to when a digest vanished under it. */
async function readDigestHeadListed(store: ObjectStore, instance: string): Promise<ReadHead | undefined> {
  const key = (await listDigestKeys(store, instance)).at(-1);
  if (key === undefined) return undefined;
  const stored = await store.get(key);
  if (!stored) return undefined;
  return headOf(digestSequenceFromKey(key) ?? 0, key, stored.body);
}

/**
 * Whether digest `sequence` is stored, without reading its body where the store can tell (S3's
 * HEAD): the first digests a search probes are the largest (a genesis lists every object the lake
 * held), and every run probes them. `read` gets the body a store without HEAD had to read.
 */
export async function digestStored(
  store: ObjectStore,
  instance: string,
  sequence: number,
  read?: (body: Uint8Array) => void,
): Promise<boolean> {
  const key = digestKey(instance, sequence);
  if (store.exists) return store.exists(key);
  const stored = await store.get(key);
  if (stored) read?.(stored.body);
  return stored !== undefined;
}

/**
 * The number of the chain's last digest (-1 for an empty chain; see {@link readDigestHead}), from
 * the keys probed and listed alone. `read` gets the bodies the probes of a store without HEAD read.
 */
async function searchDigestHead(
  store: ObjectStore,
  instance: string,
  taken?: number,
  read?: (sequence: number, body: Uint8Array) => void,
): Promise<number> {
  const exists = (sequence: number): Promise<boolean> =>
    digestStored(store, instance, sequence, read && ((body) => read(sequence, body)));
  // The head is the digest before `after` (found missing) or the last one listed after it.
  const after = taken === undefined ? await firstMissingFrom(exists, 0) : taken - 1;
  return headPast(store, instance, after, after - 1, exists);
}

/**
 * The chain's head: `head` unless digests are listed after `after`, then the last of them (a
 * search of `exists` probes past each full page of keys).
 */
async function headPast(
  store: ObjectStore,
  instance: string,
  from: number,
  known: number,
  exists: (sequence: number) => Promise<boolean>,
): Promise<number> {
  let after = from;
  let head = known;
  for (;;) {
    const { last, more } = await lookPast(store, instance, after);
    if (last === undefined) break;
    if (!more) return last;
    after = await firstMissingFrom(exists, last);
    head = after - 1;
  }
  return head;
}

/**
 * The number of the chain's last digest, or undefined for an empty chain: the head
 * {@link readDigestHead} finds, without reading its body (its number is in its key). Each number
 * the search settles on was probed or listed present; a digest deleted after that is a later change
 * of the chain, as it would be after any answer.
 */
export async function readDigestHeadSequence(
  store: ObjectStore,
  instance: string,
  hint?: number,
): Promise<number | undefined> {
  const head = (await headFromHint(store, instance, hint)) ?? (await searchDigestHead(store, instance));
  return head < 0 ? undefined : head;
}

/**
 * The head found from `hint`, a digest number the caller knew of (the last run's), when that
 * digest is there: one probe and one listing after it, where the search from digest 0 made
 * ~2·log2(N) probes in a row, `status` paying them per instance (review R-EVIDENCE3 L2). A hint
 * past the head (digests deleted since, or a record edited) is not there: undefined, searched anew.
 */
async function headFromHint(store: ObjectStore, instance: string, hint: number | undefined) {
  if (hint === undefined || !Number.isSafeInteger(hint) || hint < 0) return undefined;
  const exists = (sequence: number) => digestStored(store, instance, sequence);
  if (!(await exists(hint))) return undefined;
  return headPast(store, instance, hint, hint, exists);
}

/**
 * The last digest of the chain (key, sequence, SHA-256), or undefined for an empty chain, found
 * without listing the chain (a LIST page per 1,000 digests, at every run): a search of probes (HEAD
 * where the store has it, else GET) finds a
 * missing number past a present one, then a listing after it confirms that nothing follows, so the
 * head is the last key, as a full listing gives, gaps included. A gap in the middle (a deleted
 * digest, which `verify --integrity` reports) that the search hits costs a listing of up to 1,000
 * keys after it; a deleted head leaves the digest before it as the head, as a listing does (verify
 * finds its delete marker). `taken`: a number another run just took, so the head is there or a few
 * numbers after it, which one listing finds.
 */
export async function readDigestHead(
  store: ObjectStore,
  instance: string,
  taken?: number,
): Promise<ReadHead | undefined> {
  const probed = probedBodies();
  const head = await searchDigestHead(store, instance, taken, probed.read);
  if (head < 0 && taken === undefined) return undefined;
  return headWithBody(store, instance, head, probed.bodyOf(head));
}

/** Keeps the body of the highest digest a store without HEAD had to read while probing. */
function probedBodies() {
  let found: { sequence: number; body: Uint8Array } | undefined;
  return {
    read: (sequence: number, body: Uint8Array) => {
      if (found === undefined || sequence > found.sequence) found = { sequence, body };
    },
    bodyOf: (sequence: number) => (found?.sequence === sequence ? found.body : undefined),
  };
}

/** The head at `head`, its body read unless the probes read it (`probed`). */
async function headWithBody(
  store: ObjectStore,
  instance: string,
  head: number,
  probed: Uint8Array | undefined,
): Promise<ReadHead | undefined> {
  const key = digestKey(instance, head);
  const body = probed ?? (await store.get(key))?.body;
  // A digest vanished under the search (deleted meanwhile): list it all.
  if (body === undefined) return readDigestHeadListed(store, instance);
  return headOf(head, key, body);
}

/**
 * {@link readDigestHead}, from `seen`, a digest this run saw stored before its first write (the
 * chain-cut guard's probe or listing, chain-cut-guard.ts, which started from the head the last run
 * recorded): not probed again, and that record not read again. `seen` is only where the search
 * starts, never the answer: the head is the last digest listed after it, its body read and hashed
 * as after a search from digest 0, so digests appended since are found; `seen` deleted since (no
 * body there at the head) falls back to listing the chain.
 */
export async function readDigestHeadPast(
  store: ObjectStore,
  instance: string,
  seen: number,
): Promise<ReadHead | undefined> {
  const probed = probedBodies();
  const exists = (sequence: number) =>
    digestStored(store, instance, sequence, (body) => probed.read(sequence, body));
  const head = await headPast(store, instance, seen, seen, exists);
  return headWithBody(store, instance, head, probed.bodyOf(head));
}

export interface AppendDigestInput {
  instance: string;
  runId: string;
  createdAt: string;
  objects: DigestEntry[];
  /** The writes the run is about to make ({@link Digest.intents}); absent: a run that does not list them. */
  intents?: DigestIntent[];
  sealed: boolean;
  fromMs: number | null;
  /** The end (exclusive) of the hours the run pulls, when known. */
  toMs?: number | null;
  /** Where the run began in the chain ({@link Digest.began}); absent: this digest's own number. */
  began?: number;
  /** How the run planned its hours ({@link Digest.mode}), when it is an ingest run. */
  mode?: DigestRunMode;
  /** Who ran the run and what it read ({@link Digest.runner}); absent: not known to the caller. */
  runner?: DigestRunner;
  /** The deployment's `retention.maxDays` ({@link Digest.max_days}); absent: not known to the caller. */
  maxDays?: number | null;
  /** Where the caller believes the chain ends; re-read when another run got there first. */
  head?: DigestHead;
  signer?: DigestSigner;
  /**
   * Called for an empty chain: what the genesis digest adopts (objects already in the lake), and
   * whether that is a deliberate restart over recorded hours ({@link Digest.restarted}).
   */
  adopt?: () => Promise<Adoption>;
}

/** What a genesis digest adopts. */
export interface Adoption {
  entries: DigestEntry[];
  restarted?: boolean;
}

const MAX_APPEND_ATTEMPTS = 20;

/** The digest of `input` at number `sequence`, after `head` (none: the genesis). */
function digestAt(
  input: AppendDigestInput,
  sequence: number,
  head: DigestHead | undefined,
  adopted: Adoption,
): Digest {
  const previous = head?.link ?? null;
  // Known for a genesis (nothing before it) and after a digest that says; else left unsaid.
  const seen = input.mode === 'checkpoint' || (previous === null ? false : head?.checkpointSeen);
  return {
    format: DIGEST_FORMAT,
    instance: input.instance,
    sequence,
    run_id: input.runId,
    created_at: input.createdAt,
    previous,
    genesis: previous === null,
    ...(previous === null && adopted.restarted ? { restarted: true as const } : {}),
    sealed: input.sealed,
    from_ms: input.fromMs,
    ...(typeof input.toMs === 'number' ? { to_ms: input.toMs } : {}),
    began: input.began ?? sequence,
    ...(input.mode ? { mode: input.mode } : {}),
    ...(seen === undefined ? {} : { checkpoint_seen: seen }),
    ...(input.runner === undefined ? {} : { runner: input.runner }),
    ...(input.maxDays === undefined ? {} : { max_days: input.maxDays }),
    objects: [...adopted.entries, ...input.objects],
    ...(input.intents === undefined ? {} : { intents: input.intents }),
  };
}

/**
 * Whether `key` holds exactly `body`: the put that answered 412 landed itself (its answer was lost
 * and the SDK's retry, create-only, met it), so the number is this run's, not another run's.
 */
async function holdsOwnPut(store: ObjectStore, key: string, body: Uint8Array): Promise<boolean> {
  const stored = await store.get(key);
  return stored !== undefined && Buffer.from(stored.body).equals(Buffer.from(body));
}

/** Puts `body` at `key`, create-only: false when another run's digest holds that number. */
async function putCreateOnly(store: ObjectStore, key: string, body: Uint8Array): Promise<boolean> {
  try {
    await store.put(key, body, { ifNoneMatch: '*', contentType: 'application/json' });
    return true;
  } catch (error) {
    if (!(error instanceof PreconditionFailedError)) throw error;
    return holdsOwnPut(store, key, body);
  }
}

/**
 * Appends one digest to the chain: create-only at the number after the head, retried at the next
 * number when another run took it. A 412 answered to a put that landed (the number holds the very
 * bytes put) takes that number: appending again would list the same entries twice. Returns the new
 * head.
 */
export async function appendDigest(store: ObjectStore, input: AppendDigestInput): Promise<DigestHead> {
  let head = input.head ?? (await readDigestHead(store, input.instance));
  for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
    const sequence = head ? head.sequence + 1 : 0;
    const adopted = head === undefined && input.adopt ? await input.adopt() : { entries: [] };
    const digest = digestAt(input, sequence, head, adopted);
    if (input.signer) {
      const value = await input.signer.sign(signedBytes(digest));
      digest.signature = {
        algorithm: 'ECDSA_SHA_256',
        key_id: input.signer.keyId,
        value: Buffer.from(value).toString('base64'),
      };
    }
    const key = digestKey(input.instance, sequence);
    const body = encodeDigest(digest);
    if (await putCreateOnly(store, key, body)) {
      const link = { key, sha256: sha256Hex(body) };
      const seen = digest.checkpoint_seen;
      return { sequence, link, ...(seen === undefined ? {} : { checkpointSeen: seen }) };
    }
    // The number is taken: the head is there or after it.
    head = await readDigestHead(store, input.instance, sequence);
  }
  throw new Error(
    `could not append a digest for "${input.instance}" after ${MAX_APPEND_ATTEMPTS} attempts: other runs keep taking the next number`,
  );
}

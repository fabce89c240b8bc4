/**
 * What the alert kinds a stored alerts checkpoint names and this version does not know make of it,
 * once it failed its schema: a version that raises them (a newer release, or another build) wrote
 * it and the checkpoint was read after rolling back to this one, or it is damaged. Called corrupt,
 * a newer release's checkpoint came with the advice to delete it, and the alerts waiting in it were
 * lost (review R-CONTRIB H2); called a newer release's, a damaged one had the operator update a
 * release that does not exist, and never said what was damaged (review R-AK M1).
 */
import type * as z from 'zod';
import { ALERT_KINDS } from './alert.ts';

/** As the kinds every release names (`ALERT_KINDS`): lower-case words joined by `_`. */
const SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/**
 * The unknown kinds of a checkpoint that is otherwise sound (`newer`, with the checkpoint as read
 * once they are replaced by a known one, for the checks that follow the schema), or why it is
 * damaged (`corrupt`, a reason naming the field and any unknown kinds); undefined when it names no
 * unknown kind where kinds are kept (it is damaged, and the schema's reason says where).
 */
type UnknownKindsReading<T> = { newer: readonly string[]; read: T } | { corrupt: string } | undefined;

type Path = readonly PropertyKey[];

/** Where the schema refused a kind it does not know: an alert's `kind`, or a count record's keys. */
interface KindPlaces {
  alerts: Path[];
  records: { path: Path; keys: string[] }[];
  /** Each unknown kind, and where it is first named (`archive.0.kind`, `channels.mail.folded.kinds.x`). */
  names: Map<string, string>;
  /** The first refusal elsewhere, if any: the checkpoint is damaged whatever its kinds. */
  other?: z.core.$ZodIssue;
}

const isRecord = (value: unknown): value is Record<PropertyKey, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function valueAt(json: unknown, path: Path): unknown {
  let at = json;
  for (const key of path)
    at = isRecord(at) || Array.isArray(at) ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  return at;
}

const reasonOf = (issue: z.core.$ZodIssue): string =>
  `field ${issue.path.join('.') || '(root)'}: ${issue.message}`;

/** Sorts the schema's refusals of `json` into refused kinds and the first other refusal. */
function kindPlacesOf(json: unknown, issues: readonly z.core.$ZodIssue[]): KindPlaces {
  const places: KindPlaces = { alerts: [], records: [], names: new Map() };
  const name = (kind: string, path: Path) => {
    if (!places.names.has(kind)) places.names.set(kind, path.join('.'));
  };
  for (const issue of issues) {
    const field = issue.path.at(-1);
    const value = valueAt(json, issue.path);
    if (issue.code === 'invalid_value' && field === 'kind' && typeof value === 'string') {
      places.alerts.push(issue.path);
      name(value, issue.path);
    } else if (issue.code === 'unrecognized_keys' && field === 'kinds' && isRecord(value)) {
      places.records.push({ path: issue.path, keys: issue.keys });
      for (const key of issue.keys) name(key, [...issue.path, key]);
    } else places.other ??= issue;
  }
  return places;
}

/**
 * `json` as `schema` reads it once every refused kind is replaced by a known one (a count record's
 * counts under unknown kinds moved to known kinds, as many at a time as there are, so each count is
 * checked), or its first refusal then: something besides its kinds is amiss.
 */
function readBesideKinds<T>(
  json: unknown,
  places: KindPlaces,
  schema: z.ZodType<T>,
): { issue: z.core.$ZodIssue } | { read: T } {
  let read: T | undefined;
  const rounds = Math.max(1, ...places.records.map((r) => Math.ceil(r.keys.length / ALERT_KINDS.length)));
  for (let round = 0; round < rounds; round++) {
    const copy = structuredClone(json);
    for (const path of places.alerts)
      (valueAt(copy, path.slice(0, -1)) as Record<PropertyKey, unknown>).kind = ALERT_KINDS[0];
    for (const { path, keys } of places.records) {
      const record = valueAt(copy, path) as Record<string, unknown>;
      const moved = keys.slice(round * ALERT_KINDS.length, (round + 1) * ALERT_KINDS.length);
      moved.forEach((key, i) => {
        record[ALERT_KINDS[i] as string] = record[key];
      });
      for (const key of keys) delete record[key];
    }
    const parsed = schema.safeParse(copy);
    if (!parsed.success) return { issue: parsed.error.issues[0] as z.core.$ZodIssue };
    read = parsed.data;
  }
  return { read: read as T };
}

/**
 * Why `kind` cannot be a kind any release raises, or undefined when it can: kinds are snake_case
 * words, and a case or plural variant of a known kind is that kind written otherwise (a hand edit),
 * not a new one.
 */
export function notAKind(kind: string): string | undefined {
  if (kind === '') return 'empty';
  const lower = kind.toLowerCase();
  const variant = ALERT_KINDS.find(
    (known) =>
      known === lower ||
      [`${known}s`, `${known}es`, known.replace(/y$/, 'ies'), known.replaceAll('_', '')].includes(lower) ||
      `${lower}s` === known,
  );
  if (variant !== undefined) return `${variant} written otherwise`;
  return SNAKE_CASE.test(kind) ? undefined : 'not snake_case';
}

/** Kinds a message names at most, then how many more: a damaged record may hold thousands of keys. */
const MAX_NAMED = 10;

/** `texts` joined by commas, at most {@link MAX_NAMED} of them, then how many more. */
export function namedAtMost(texts: readonly string[]): string {
  const more = texts.length - MAX_NAMED;
  return more > 0
    ? `${texts.slice(0, MAX_NAMED).join(', ')} and ${more.toLocaleString('en-US')} more`
    : texts.join(', ');
}

const listed = (kinds: readonly string[]): string => namedAtMost(kinds.map((kind) => JSON.stringify(kind)));

/**
 * {@link UnknownKindsReading} of `body`, a checkpoint's bytes `schema` refused. A kind is looked for
 * only where the schema keeps kinds: a loose field a later release added may name anything.
 */
export function unknownKindsIn<T>(body: Uint8Array, schema: z.ZodType<T>): UnknownKindsReading<T> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return undefined;
  const places = kindPlacesOf(json, parsed.error.issues);
  if (places.names.size === 0) return undefined;
  const names = [...places.names.keys()].sort();
  const unknown = `; it also names ${names.length === 1 ? 'a kind' : 'kinds'} this version does not know (${listed(names)})`;
  if (places.other !== undefined) return { corrupt: `${reasonOf(places.other)}${unknown}` };
  const besides = readBesideKinds(json, places, schema);
  if ('issue' in besides) return { corrupt: `${reasonOf(besides.issue)}${unknown}` };
  const damaged = names.flatMap((kind) => {
    const why = notAKind(kind);
    return why === undefined ? [] : [`${JSON.stringify(kind)} at ${places.names.get(kind)} (${why})`];
  });
  if (damaged.length > 0)
    return {
      corrupt: `${damaged.length === 1 ? 'a kind' : 'kinds'} no version raises: ${namedAtMost(damaged)}`,
    };
  return { newer: names, read: besides.read };
}

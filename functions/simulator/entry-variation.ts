import type { Prng } from './prng.ts';
import type { SimEvent } from './sim-event.ts';

/** Ways an entry can be unusable: its `time` is missing or not a time, or it is not an object at all. */
type MalformedKind =
  | 'time-missing'
  | 'time-null'
  | 'time-text'
  | 'time-boolean'
  | 'bare-string'
  | 'bare-number';

const MALFORMED_KINDS: readonly MalformedKind[] = [
  'time-missing',
  'time-null',
  'time-text',
  'time-boolean',
  'bare-string',
  'bare-number',
];

/**
 * Per-entry probabilities of the shapes the real API may serve (domo-api-notes §2.2, §2.4, §2.5, §4).
 * Each is decided once per event, when the event is stored, so every request serves the same bytes.
 */
export interface EntryVariation {
  /** Drop one to three optional fields. */
  omitOptional: number;
  /** Set one to three optional fields to null. */
  nullOptional: number;
  /** Add one to three fields the docs do not list (`actorType`, `clientId`, `authenticationMethod`). */
  extraFields: number;
  /** Store the entry twice, byte for byte (two real events that look identical). */
  twins: number;
  /** Serve the entry in one of `malformedKinds`. */
  malformed: number;
  malformedKinds: readonly MalformedKind[];
  /**
   * Serve `ipAddress` as a forwarded-for list with a private hop before or after it (as behind a
   * proxy); the public address stays the one the event was made with, so it is placed the same.
   */
  forwardedFor: number;
}

export const CLEAN_ENTRIES: EntryVariation = {
  omitOptional: 0,
  nullOptional: 0,
  extraFields: 0,
  twins: 0,
  malformed: 0,
  malformedKinds: MALFORMED_KINDS,
  forwardedFor: 0,
};

/** Fields clients must treat as optional (domo-api-notes §2.4). */
export const OPTIONAL_FIELDS = [
  'objectId',
  'objectName',
  'device',
  'browserDetails',
  'ipAddress',
  'actorName',
  'additionalComment',
] as const;

const AUTHENTICATION_METHODS = ['PASSWORD', 'SSO', 'DEV_TOKEN'] as const;

/** What the server stores for one event: the exact JSON text it serves, once or twice. */
interface RenderedEntry {
  json: string;
  malformed: boolean;
  copies: 1 | 2;
}

export function isVariationActive(v: EntryVariation): boolean {
  return (
    v.omitOptional > 0 ||
    v.nullOptional > 0 ||
    v.extraFields > 0 ||
    v.twins > 0 ||
    v.malformed > 0 ||
    v.forwardedFor > 0
  );
}

/** Validates probabilities; throws naming the bad option. */
export function checkVariation(v: EntryVariation): void {
  for (const key of [
    'omitOptional',
    'nullOptional',
    'extraFields',
    'twins',
    'malformed',
    'forwardedFor',
  ] as const) {
    const p = v[key];
    if (!(p >= 0 && p <= 1))
      throw new RangeError(`entryVariation.${key} must be a probability in [0, 1], got ${p}`);
  }
  if (v.malformed > 0 && v.malformedKinds.length === 0) {
    throw new RangeError('entryVariation.malformedKinds must not be empty when entryVariation.malformed > 0');
  }
}

/** A copy of `value` (plus `time` when given) with its keys in alphabetical order. */
function sortedKeys(value: Record<string, unknown>, time?: number | string): Record<string, unknown> {
  const keys = Object.keys(value);
  if (time !== undefined && !('time' in value)) keys.push('time');
  const out: Record<string, unknown> = {};
  for (const key of keys.sort()) out[key] = key === 'time' && time !== undefined ? time : value[key];
  return out;
}

/**
 * Renders one event as served: the entry with `time` set to `time`, keys in alphabetical order (as in
 * Domo's documented sample), then varied by `rng` (a stream dedicated to this event) when `variation`
 * asks for it.
 */
export function renderEntry(
  event: SimEvent,
  time: number | string,
  variation: EntryVariation,
  rng: Prng | undefined,
): RenderedEntry {
  if (!rng || event.planted)
    return { json: JSON.stringify(sortedKeys(event.entry, time)), malformed: false, copies: 1 };
  const entry: Record<string, unknown> = { ...event.entry, time };

  // Draw every decision first so adding one knob does not reshuffle the others.
  const omit = rng.chance(variation.omitOptional);
  const nulls = rng.chance(variation.nullOptional);
  const extra = rng.chance(variation.extraFields);
  const twin = rng.chance(variation.twins);
  const malformed = rng.chance(variation.malformed);

  varyFields(entry, rng, { omit, nulls, extra });
  // A stream of its own: the knob came last, and drawing from `rng` would change every entry above.
  if (variation.forwardedFor > 0) forwardAddress(entry, rng.fork('forwarded-for'), variation.forwardedFor);
  const served: unknown = malformed ? malform(entry, event, rng.pick(variation.malformedKinds)) : entry;
  const json = JSON.stringify(typeof served === 'object' && served !== null ? sortedKeys(entry) : served);
  return { json, malformed, copies: twin ? 2 : 1 };
}

/** Leaves out, nulls or adds optional fields, as drawn (in this order: the draws follow it). */
function varyFields(
  entry: Record<string, unknown>,
  rng: Prng,
  drawn: { omit: boolean; nulls: boolean; extra: boolean },
): void {
  if (drawn.omit) {
    const present = OPTIONAL_FIELDS.filter((f) => f in entry);
    for (const field of rng.sample(present, rng.int(1, 3))) delete entry[field];
  }
  if (drawn.nulls) {
    const present = OPTIONAL_FIELDS.filter((f) => f in entry && entry[f] !== null);
    for (const field of rng.sample(present, rng.int(1, 3))) entry[field] = null;
  }
  if (drawn.extra) {
    const extras: Record<string, unknown> = {
      actorType: 'USER',
      clientId: rng.chance(0.5) ? null : rng.uuid(),
      authenticationMethod: rng.pick(AUTHENTICATION_METHODS),
    };
    for (const key of rng.sample(Object.keys(extras), rng.int(1, 3))) entry[key] = extras[key];
  }
}

/**
 * Rewrites a served `ipAddress` into a forwarded-for list in one of the shapes proxies produce: the
 * client then a private hop (a load balancer), with or without a space, or the client's private
 * address then the public address its proxy used.
 */
function forwardAddress(entry: Record<string, unknown>, rng: Prng, probability: number): void {
  const ip = entry.ipAddress;
  if (typeof ip !== 'string' || !rng.chance(probability)) return;
  const octet = () => rng.int(1, 254);
  switch (rng.int(0, 2)) {
    case 0:
      entry.ipAddress = `${ip}, 10.${octet()}.${octet()}.${octet()}`;
      return;
    case 1:
      entry.ipAddress = `${ip},172.${rng.int(16, 31)}.${octet()}.${octet()}`;
      return;
    default:
      entry.ipAddress = `192.168.${octet()}.${octet()}, ${ip}`;
  }
}

/** Breaks the entry the way `kind` says; returns what is served instead of it (the entry, or a scalar). */
function malform(entry: Record<string, unknown>, event: SimEvent, kind: MalformedKind): unknown {
  switch (kind) {
    case 'time-missing':
      delete entry.time;
      return entry;
    case 'time-null':
      entry.time = null;
      return entry;
    case 'time-text':
      entry.time = 'yesterday';
      return entry;
    case 'time-boolean':
      entry.time = true;
      return entry;
    case 'bare-string':
      return `${String(event.entry.eventText ?? 'event')} by ${String(event.entry.userName ?? 'someone')} at ${event.timeMs}`;
    case 'bare-number':
      return event.timeMs;
  }
}

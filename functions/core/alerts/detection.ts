/**
 * The shape every detector has, so more kinds plug in by adding one function to `DETECTORS`
 * (detect-hour.ts): a pure function from one evaluated period (normally one UTC hour) and what came
 * before it to the alerts it finds, declared with what it raises and reads ({@link DetectorTraits}).
 */

import type { EventCategory } from '../domo/event-category.ts';
import type { AlertSettings } from '../queries/alert-settings.ts';
import type { Alert, AlertKind } from './alert.ts';
import { type AlertEvent, readsEvent } from './alert-event.ts';
import type { LoginProfile } from './login-profile.ts';
import type { RaisedBursts } from './raised-burst.ts';
import { userIdOf } from './user-id.ts';

export interface DetectionInput {
  instance: string;
  /** The period evaluated: [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  /**
   * The events stored for the period of the categories the detector declares
   * ({@link DetectorTraits.reads}), with the fields listed in alert-event.ts, where a new detector
   * adds the fields it reads.
   */
  events: readonly AlertEvent[];
  /** Events of the hour before the period (bursts that started there). */
  before: readonly AlertEvent[];
  /** Sign-in history, folded at least up to `fromMs`. */
  profile: LoginProfile;
  settings: AlertSettings;
  /**
   * Failed-login bursts already raised (taken in, or by an earlier hour of this run): a recheck
   * sends none of them again under another id (detect-failed-logins.ts).
   */
  raisedBursts?: Readonly<RaisedBursts>;
}

export type Detector = (input: DetectionInput) => Alert[];

/**
 * What a detector declares beside its function. Everything else a detector needs from the run
 * follows from it: the run keeps the events of the categories some detector reads (kept-events.ts),
 * a run rebuilding the login profile applies those that do not read it, and a test checks that
 * every kind of `ALERT_KINDS` is raised by one detector (test/core/alerts/detector-traits.test.ts).
 */
export interface DetectorTraits {
  /** The kinds of alert it raises. */
  kinds: readonly AlertKind[];
  /**
   * The categories of the events it reads. The run reads no others from the lake, and the detector
   * is handed only these ({@link declaredDetector}), in its own tests too: a detector of another
   * category that forgot to declare it type-checked, passed its tests and never fired in a run
   * (review R-CONTRIB H3). A `login` without a user id is never kept (alert-event.ts, readsEvent).
   * Reading `other` keeps nearly every record of a busy hour: see alert-event.ts before declaring it.
   */
  reads: readonly EventCategory[];
  /** Whether it reads the login profile: those that do not run while the profile is rebuilt. */
  readsProfile: boolean;
  /**
   * Whether it is applied to old hours an ingest rewrote, past the recheck window (evaluate-hours.ts,
   * `lookLate`): only one whose alert is one event's, its id that event's, and which reads no
   * profile. An alert of several events (a burst's window) can come again there under another id,
   * and nothing records it past the recheck window (review R-ALERTS2).
   */
  inOldHours: boolean;
}

/** A detector and its {@link DetectorTraits}: what `DETECTORS` lists. */
export type DeclaredDetector<I extends DetectionInput = DetectionInput> = ((input: I) => Alert[]) &
  Readonly<DetectorTraits>;

/**
 * `detect` declared with `traits`: it is handed the events of the categories it reads only, as a
 * run would keep them, whoever calls it.
 */
export function declaredDetector<I extends DetectionInput>(
  traits: DetectorTraits,
  detect: (input: I) => Alert[],
): DeclaredDetector<I> {
  const read = (event: AlertEvent): boolean => readsEvent(traits.reads, event);
  const viewed = (input: I): Alert[] =>
    detect({ ...input, events: input.events.filter(read), before: input.before.filter(read) });
  return Object.assign(viewed, traits);
}

/** The order the SQL breaks ties in: time, then event id. */
export const byTime = (a: AlertEvent, b: AlertEvent): number =>
  a.event_time_ms - b.event_time_ms || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0);

/**
 * A user name as one key for all its spellings: NFKC, case-folded (upper then lower, so `ß` and
 * `SS` meet), trimmed, inner whitespace runs as one space. A failure without a user id carries the
 * name as typed at the sign-in form, and an attacker (or a user) varying its case or spaces would
 * otherwise be a new user with every variant: 8 failures as `Alice@corp.com`, ` alice@corp.com`,
 * ... raised nothing (review R-ALERTS L3).
 */
export const nameKey = (name: string): string =>
  name.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC').replace(/\s+/gu, ' ').trim();

/**
 * Whom a failure or lockout is about: the user id, else (none, or one naming no user: {@link
 * userIdOf}) the name it carries, all its spellings as one ({@link nameKey}; the weekly report's
 * SQL still tells them apart).
 */
export const userKey = (event: Pick<AlertEvent, 'user_id' | 'user_name'>): string => {
  const id = userIdOf(event);
  return id !== null ? `id:${id}` : `name:${nameKey(event.user_name ?? '')}`;
};

export const inPeriod = (event: AlertEvent, input: Pick<DetectionInput, 'fromMs' | 'toMs'>): boolean =>
  event.event_time_ms >= input.fromMs && event.event_time_ms < input.toMs;

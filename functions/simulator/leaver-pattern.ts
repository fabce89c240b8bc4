import { MINUTE_MS } from '../core/time-units.ts';
import type { Prng } from './prng.ts';
import { makeEntry, type SessionInfo, type SimEvent } from './sim-event.ts';
import type { SimUser } from './sim-user.ts';

/** A catalogue object a planted story acts on. */
export interface PlantedObject {
  id: string;
  name: string;
}

/** One planted action on an object, when it happened. */
interface PlantedAction extends PlantedObject {
  timeMs: number;
}

/**
 * A leaver taking data: on one of their last working days of the week, in a session of their own
 * (their usual address and browser, so no sign-in finding gives it away), the user creates an
 * access token, exports several datasets (data sources: the company's users export cards, never
 * whole datasets) and shares several pages, all within about half an hour. `timeMs` is the token's.
 * Opt-in (`deactivated`): an admin deactivates the leaver an hour after the last share, and the
 * leaver's token still acts in their name later that day (renews itself: a privileged change),
 * what the `activity_after_deactivation` alert is for.
 */
export interface LeaverPattern {
  kind: 'leaver';
  userId: string;
  userName: string;
  timeMs: number;
  evidence: {
    ipAddress: string;
    token: PlantedAction;
    exports: PlantedAction[];
    shares: PlantedAction[];
    /** The admin's deactivation of the leaver, and the token's act after it (opt-in). */
    deactivation?: { adminId: string; atMs: number; tokenActMs: number };
  };
}

/** What the leaver story needs of the planting: drawn from its own stream, so no other story moves. */
interface LeaverContext {
  rng: Prng;
  /** Events appended here. */
  events: SimEvent[];
  /** The first sign-in of each generated workday within the range. */
  dayLogins: readonly { user: SimUser; event: SimEvent }[];
  dataSources: readonly PlantedObject[];
  pages: readonly PlantedObject[];
  /**
   * Data sources to export: undefined draws 4 to 6, as always (the default data); a number, up to
   * the data sources there are, plants a pull that large for the bulk export alert (opt-in).
   */
  exports?: number | undefined;
  /** Who deactivates the leaver after their story; undefined: no deactivation (the default). */
  deactivatedBy?: SimUser | undefined;
}

/** The latest workday sign-in of one of `candidates` that leaves the story room before `endMs`. */
function lastSession(ctx: LeaverContext, candidates: readonly SimUser[], startMs: number, endMs: number) {
  const ids = new Set(candidates.map((u) => u.userId));
  const room = 4 * 60 * MINUTE_MS;
  const fitting = ctx.dayLogins.filter(
    (l) => ids.has(l.user.userId) && l.event.timeMs >= startMs && l.event.timeMs + room < endMs,
  );
  // The first candidate with such a day, on their last one: a leaver's last days.
  for (const user of candidates) {
    const own = fitting.filter((l) => l.user.userId === user.userId);
    if (own.length > 0) return own.reduce((a, b) => (b.event.timeMs > a.event.timeMs ? b : a));
  }
  return undefined;
}

/** Plants the leaver story on the first of `candidates` with a workday in `[startMs, endMs)`. */
export function plantLeaver(
  ctx: LeaverContext,
  candidates: readonly SimUser[],
  startMs: number,
  endMs: number,
): LeaverPattern[] {
  if (ctx.dataSources.length < 4 || ctx.pages.length < 3) return [];
  const wanted = ctx.exports;
  if (wanted !== undefined && !(Number.isInteger(wanted) && wanted >= 1 && wanted <= ctx.dataSources.length))
    throw new RangeError(
      `the leaver's exports must be a whole number from 1 to ${ctx.dataSources.length}, the data sources there are (got ${wanted})`,
    );
  const login = lastSession(ctx, candidates, startMs, endMs);
  if (login === undefined) return [];
  const { user } = login;
  const rng = ctx.rng;
  const session: SessionInfo = {
    device: String(login.event.entry.device),
    browserDetails: String(login.event.entry.browserDetails),
    ipAddress: String(login.event.entry.ipAddress),
  };
  let t = login.event.timeMs + rng.int(60, 150) * MINUTE_MS;
  const act = (
    actionType: string,
    objectType: string,
    noun: string,
    object: PlantedObject,
  ): PlantedAction => {
    const eventText = `${actionType.charAt(0)}${actionType.slice(1).toLowerCase()} ${noun}`;
    const entry = makeEntry({
      user,
      actionType,
      eventText: objectType === 'ACCESS_TOKEN' ? 'Access token created' : eventText,
      objectType,
      objectId: object.id,
      objectName: object.name,
      additionalComment: `${user.userName} ${actionType.toLowerCase()} ${noun} ${object.name}.`,
      session,
    });
    ctx.events.push({ timeMs: t, entry, planted: true });
    const done = { ...object, timeMs: t };
    t += rng.int(20_000, 150_000);
    return done;
  };
  const tokenObject = { id: String(rng.int(100_000, 999_999)), name: `${user.userName.split(' ')[0]} sync` };
  const token = act('CREATED', 'ACCESS_TOKEN', 'access token', tokenObject);
  const exports = rng
    .sample(ctx.dataSources, ctx.exports ?? rng.int(4, Math.min(6, ctx.dataSources.length)))
    .map((source) => act('EXPORTED', 'DATA_SOURCE', 'data source', source));
  const shares = rng
    .sample(ctx.pages, rng.int(3, Math.min(5, ctx.pages.length)))
    .map((page) => act('SHARED', 'PAGE', 'page', page));
  const last = shares.at(-1)?.timeMs ?? token.timeMs;
  const admin = ctx.deactivatedBy?.userId === user.userId ? undefined : ctx.deactivatedBy;
  const deactivation = admin && plantDeactivation(ctx, { admin, leaver: user, token }, last, endMs);
  return [
    {
      kind: 'leaver',
      userId: user.userId,
      userName: user.userName,
      timeMs: token.timeMs,
      evidence: {
        ...{ ipAddress: session.ipAddress, token, exports, shares },
        ...(deactivation === undefined ? {} : { deactivation }),
      },
    },
  ];
}

/**
 * The admin deactivates the leaver an hour after `lastMs` (the admin's own session), and the
 * leaver's token renews itself two to three hours after that, in the leaver's name, from a cloud
 * host (what a sync job runs on): read by deactivation-forms.ts and privileged-objects.ts. None
 * when the token's act would fall at or after `endMs`.
 */
function plantDeactivation(
  ctx: LeaverContext,
  who: { admin: SimUser; leaver: SimUser; token: PlantedAction },
  lastMs: number,
  endMs: number,
): { adminId: string; atMs: number; tokenActMs: number } | undefined {
  const { admin, leaver, token } = who;
  const atMs = lastMs + 60 * MINUTE_MS;
  const tokenActMs = atMs + ctx.rng.int(120, 180) * MINUTE_MS;
  if (tokenActMs >= endMs) return undefined;
  const adminSession: SessionInfo = {
    device: 'Desktop',
    browserDetails: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36',
    ipAddress: String(
      ctx.dayLogins.find((l) => l.user.userId === admin.userId)?.event.entry.ipAddress ?? '10.0.0.5',
    ),
  };
  const off = makeEntry({
    user: admin,
    actionType: 'DEACTIVATED',
    eventText: 'Deactivated user',
    objectType: 'USER',
    objectId: leaver.userId,
    objectName: leaver.userName,
    additionalComment: `${admin.userName} deactivated user ${leaver.userName}.`,
    session: adminSession,
  });
  ctx.events.push({ timeMs: atMs, entry: off, planted: true });
  const act = makeEntry({
    user: leaver,
    actionType: 'UPDATED',
    eventText: 'Access token updated',
    objectType: 'ACCESS_TOKEN',
    objectId: token.id,
    objectName: token.name,
    additionalComment: `${leaver.userName} updated access token ${token.name}.`,
    session: { device: 'Other', browserDetails: 'python-requests/2.31.0', ipAddress: '3.120.45.17' },
  });
  ctx.events.push({ timeMs: tokenActMs, entry: act, planted: true });
  return { adminId: admin.userId, atMs, tokenActMs };
}

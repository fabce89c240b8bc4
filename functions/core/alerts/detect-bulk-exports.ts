/**
 * `bulk_export` (opt-in: `exportBurst`, 0 off): one user exporting at least `exportBurst` distinct
 * objects within 60 minutes, the exports `query bulk_data_movement` counts (export-events.ts: an
 * `EXPORTED` event, counted under who did it, the actor when one acted as another). Every other
 * kind watches sign-ins or changes to who may do what: an insider, or someone in with a stolen
 * session, pulling every dataset out as files raised nothing until the weekly report.
 *
 * As for sprays (detect-password-spray.ts), the export that brings the distinct objects of its
 * trailing window up to the threshold raises the alert, and the next one of that user only once
 * the window's distinct objects fell to half the threshold or fewer: a long pull is one alert, a
 * new one after a lull another. The exports are followed from the hour before the period; one
 * raised there is not alerted again. Its id is that of the raising window's exports.
 *
 * Bulk exports already raised (`raisedExports`, from the alerts checkpoint: raised-exports.ts) are
 * not sent again under another id: a late export, found by a recheck, makes an earlier export
 * raise the same pull, and an episode (exports with no lull between) holding one already raised
 * is that one ({@link repeatsRaised}). A pull recorded that the period still sees going on (no lull
 * since) is noted in `goingOn`, and the checkpoint keeps its record while it lasts: one continuous
 * pull is one alert however long (raised-times.ts, GoingOn).
 */
import { lakeTimestamp } from '../lake/layout.ts';
import { clip } from '../mail/clip.ts';
import { HOUR_MS } from '../time-units.ts';
import { type Alert, alertId } from './alert.ts';
import { alertAddresses } from './alert-addresses.ts';
import type { AlertEvent } from './alert-event.ts';
import { placedIpList } from './detect-failed-logins.ts';
import { byTime, type DetectionInput, declaredDetector, inPeriod } from './detection.ts';
import { actedAsAnother, exportDoer, exportObjectKey, isExport } from './export-events.ts';
import { localClockSpan } from './local-time.ts';
import { oneLine } from './one-line.ts';
import { type RaisedExports, raisedExportKey } from './raised-exports.ts';
import { type GoingOn, noteGoingOn } from './raised-times.ts';
import { episodeEnd, wentOnText } from './went-on.ts';

/**
 * What the bulk export detector reads: a period's input, and the bulk exports already raised; and
 * where it notes those it sees going on (`goingOn.exports`: raised-times.ts, noteGoingOn).
 */
export type ExportInput = DetectionInput & {
  raisedExports?: Readonly<RaisedExports>;
  goingOn?: Pick<GoingOn, 'exports'>;
};

/** The window a bulk export is counted in: 60 minutes (docs/decisions.md, the design). */
export const EXPORT_WINDOW_MS = HOUR_MS;

/** How far before the period the view reaches (detection.ts: `before`, the hour before). */
const VIEW_BEFORE_MS = HOUR_MS;

/** Objects the evidence names before `and N more`. */
const NAMED_OBJECTS = 5;

/** Characters of each Domo text the evidence holds (the alert waits in the checkpoint until sent). */
const TEXT_CHARS = 80;

const text = (value: string | null): string => clip(oneLine(value), TEXT_CHARS);

/** The exports of `events` by who did them (the id as written), each doer's in time order. */
function byDoer(events: readonly AlertEvent[]): Map<string, AlertEvent[]> {
  const groups = new Map<string, AlertEvent[]>();
  for (const event of events) {
    if (!isExport(event)) continue;
    const doer = exportDoer(event);
    if (doer === null) continue;
    const group = groups.get(doer.id) ?? [];
    group.push(event);
    groups.set(doer.id, group);
  }
  for (const group of groups.values()) group.sort(byTime);
  return groups;
}

/** The trailing window (t - 60 min, t] over one user's exports, counting its distinct objects. */
class ObjectsWindow {
  left = 0;
  private readonly objects = new Map<string, number>();

  constructor(private readonly exports: readonly AlertEvent[]) {}

  get distinct(): number {
    return this.objects.size;
  }

  slideTo(last: number): void {
    const at = (i: number) => this.exports[i] as AlertEvent;
    this.tally(at(last), 1);
    while (at(this.left).event_time_ms <= at(last).event_time_ms - EXPORT_WINDOW_MS) {
      this.tally(at(this.left), -1);
      this.left++;
    }
  }

  private tally(event: AlertEvent, step: 1 | -1): void {
    const key = exportObjectKey(event);
    if (key === null) return;
    const count = (this.objects.get(key) ?? 0) + step;
    if (count === 0) this.objects.delete(key);
    else this.objects.set(key, count);
  }
}

/** A raising window `[left, last]` of one user's exports. */
interface Raise {
  left: number;
  last: number;
}

/**
 * Where one user's exports (sorted) raise bulk exports, and each export's episode (the number of
 * lulls up to it: exports where the window held half the threshold of objects or fewer). Any lull
 * re-arms, but only one seen from `sureFrom` on (the period: its windows lie within the view)
 * starts an episode: the window of an export of the hour before is cut at the view's start, and
 * its lull may never have happened (review R2EXP), so it never parts a raise from one recorded.
 */
function exportRaises(
  exports: readonly AlertEvent[],
  n: number,
  sureFrom: number,
): { raises: Raise[]; episodes: number[] } {
  const rearmAt = Math.max(1, Math.floor(n / 2));
  const window = new ObjectsWindow(exports);
  const raises: Raise[] = [];
  const episodes: number[] = [];
  let lulls = 0;
  let armed = true;
  exports.forEach((_, i) => {
    window.slideTo(i);
    if (window.distinct <= rearmAt) {
      armed = true;
      if ((exports[i] as AlertEvent).event_time_ms >= sureFrom) lulls++;
    }
    episodes.push(lulls);
    if (!armed || window.distinct < n) return;
    raises.push({ left: window.left, last: i });
    armed = false;
  });
  return { raises, episodes };
}

/** The index of the last export at `ms`, or -1. */
function exportAt(exports: readonly AlertEvent[], ms: number): number {
  for (let i = exports.length - 1; i >= 0; i--) {
    const at = (exports[i] as AlertEvent).event_time_ms;
    if (at === ms) return i;
    if (at < ms) return -1;
  }
  return -1;
}

/** The exports of one doer in the view, each export's episode, and the view's bounds. */
interface ExportView {
  exports: readonly AlertEvent[];
  episodes: readonly number[];
  fromMs: number;
  toMs: number;
}

/**
 * Whether the bulk export raised by export `last` was raised already: one of the user's was raised
 * in its episode. One raised after the period (by the next hour: a late export now raises the same
 * pull before this hour ends) counts when its window holds `last` and the episode goes on to the
 * end of the view, as for sprays (detect-password-spray.ts). One raised before the view counts
 * until the period shows a lull (the first episode): the view cannot tell that the pull stopped.
 */
function repeatsRaised(view: ExportView, last: number, raised: readonly number[]): boolean {
  const { exports, episodes, fromMs, toMs } = view;
  const lastAt = (exports[last] as AlertEvent).event_time_ms;
  return raised.some((at) => {
    if (at < fromMs - VIEW_BEFORE_MS) return episodes[last] === 0;
    const i = exportAt(exports, at);
    if (i >= 0) return episodes[i] === episodes[last];
    return at >= toMs && at - EXPORT_WINDOW_MS < lastAt && episodes[exports.length - 1] === episodes[last];
  });
}

/** `CARD "Revenue" (id 17)`: one object exported. */
function objectText(event: AlertEvent): string {
  const name = text(event.object_name);
  return [text(event.object_type), name === '' ? '' : `"${name}"`, `(id ${text(event.object_id)})`]
    .filter((part) => part !== '')
    .join(' ');
}

/** The distinct objects of `exports` (in time order) as the evidence names them, first seen first. */
function objectsNamed(exports: readonly AlertEvent[]): string[] {
  const shown = new Map<string, string>();
  for (const event of exports) {
    const key = exportObjectKey(event);
    if (key !== null && !shown.has(key)) shown.set(key, objectText(event));
  }
  return [...shown.values()];
}

/**
 * `; 3 of them acting as other users, which the expected-activity list never quiets`, when the
 * doer acted as another in any ({@link Alert.acting_as_others}).
 */
function actingText(exports: readonly AlertEvent[]): string {
  const acting = exports.filter(actedAsAnother).length;
  if (acting === 0) return '';
  const which =
    acting === exports.length ? 'acting as other users' : `${acting} of them acting as other users`;
  return `; ${which}, which the expected-activity list never quiets`;
}

/** The latest name the doer's exports of `exports` carry, as the SQL's `max_by` picks it. */
function doerName(exports: readonly AlertEvent[]): string | null {
  for (let i = exports.length - 1; i >= 0; i--) {
    const name = exportDoer(exports[i] as AlertEvent)?.name ?? null;
    if (name !== null) return name;
  }
  return null;
}

function exportAlert(
  input: ExportInput,
  found: { doer: string; window: readonly AlertEvent[]; episode: readonly AlertEvent[] },
): Alert {
  const { timeZone } = input.settings;
  const { doer, window, episode } = found;
  const first = window[0] as AlertEvent;
  const last = window[window.length - 1] as AlertEvent;
  const objects = objectsNamed(window);
  const more = objects.length > NAMED_OBJECTS ? ` and ${objects.length - NAMED_OBJECTS} more` : '';
  const from = placedIpList(window);
  const eventIds = window.map((e) => e.event_id);
  const span = `${localClockSpan(first.event_time_ms, last.event_time_ms, timeZone)} ${timeZone}`;
  const counted = `${objectsNamed(episode).length} objects (${episode.length} exports)`;
  return {
    id: alertId(input.instance, 'bulk_export', eventIds),
    instance: input.instance,
    kind: 'bulk_export',
    user_id: doer,
    user_name: doerName(window),
    event_time: lakeTimestamp(last.event_time_ms),
    event_time_ms: last.event_time_ms,
    evidence: `exported ${objects.length} objects (${window.length} exports) within 60 minutes (${span}): ${objects.slice(0, NAMED_OBJECTS).join(', ')}${more}${actingText(window)}; from ${from.text}${wentOnText(counted, episode, window.length, timeZone)}`,
    ip_address: last.ip_address,
    event_ids: eventIds,
    ...(from.geoDbVersion === undefined ? {} : { geo_db_version: from.geoDbVersion }),
    // What an expected-activity rule's `ip` and `country` must hold (quiet-alerts.ts).
    ...alertAddresses(window),
    // A pull made as other users is never quieted (quiet-alerts.ts).
    ...(window.some(actedAsAnother) ? { acting_as_others: true as const } : {}),
  };
}

/** The bulk exports one user's exports raise in the period, to alert. */
function doerExports(input: ExportInput, doer: string, exports: readonly AlertEvent[]): Alert[] {
  const { raises, episodes } = exportRaises(exports, input.settings.exportBurst, input.fromMs);
  const key = raisedExportKey(doer);
  const raised = input.raisedExports?.[key] ?? [];
  const view = { exports, episodes, fromMs: input.fromMs, toMs: input.toMs };
  const last = exports.length - 1;
  const lastMs = (exports[last] as AlertEvent).event_time_ms;
  noteGoingOn(
    input.goingOn?.exports,
    key,
    { lastMs, fromMs: input.fromMs },
    () => raised.length > 0 && repeatsRaised(view, last, raised),
  );
  return raises.flatMap(({ left, last }, r) => {
    // Raised before the period: followed, not alerted.
    if (!inPeriod(exports[last] as AlertEvent, input)) return [];
    if (raised.length > 0 && repeatsRaised(view, last, raised)) return [];
    const end = episodeEnd(episodes, last, raises[r + 1]?.last ?? exports.length);
    const window = exports.slice(left, last + 1);
    return [exportAlert(input, { doer, window, episode: exports.slice(left, end + 1) })];
  });
}

function bulkExportsOf(input: ExportInput): Alert[] {
  if (input.settings.exportBurst === 0) return [];
  const alerts: Alert[] = [];
  for (const [doer, exports] of byDoer([...input.before, ...input.events]))
    alerts.push(...doerExports(input, doer, exports));
  return alerts;
}

/** `exportBurst` distinct objects exported by one user within 60 minutes; none when it is 0. */
export const detectBulkExports = declaredDetector(
  { kinds: ['bulk_export'], reads: ['other'], readsProfile: false, inOldHours: false },
  bulkExportsOf,
);

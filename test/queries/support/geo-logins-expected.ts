import { COUNTRY_POINTS } from '../../../functions/core/geo/country-points.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';

/** One finding of geo_logins, as the TypeScript reading of its definition gives it. */
export interface GeoFinding {
  reason: 'new_country' | 'new_network' | 'impossible_travel';
  user_id: string;
  event_time: string;
}

const EARTH_RADIUS_KM = 6371;
const rad = (deg: number) => (deg * Math.PI) / 180;

export function greatCircleKm(a: readonly [number, number], b: readonly [number, number]): number {
  const h =
    Math.sin(rad(b[0] - a[0]) / 2) ** 2 +
    Math.cos(rad(a[0])) * Math.cos(rad(b[0])) * Math.sin(rad(b[1] - a[1]) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}

interface Settings {
  fromMs: number;
  toMs: number;
  historyFromMs: number;
  minHistoryLogins: number;
  maxSpeedKmh: number;
}

const byTime = (a: EventRecord, b: EventRecord) =>
  a.event_time_ms - b.event_time_ms || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0);

/** First period login per key that history does not know, for users `eligible` says may fire. */
function firstUnknown(
  logins: EventRecord[],
  settings: Settings,
  keyOf: (e: EventRecord) => string | null,
  eligible: (history: EventRecord[]) => boolean,
  reason: GeoFinding['reason'],
): GeoFinding[] {
  const history = logins.filter((e) => e.event_time_ms < settings.fromMs);
  if (!eligible(history)) return [];
  const known = new Set(history.map(keyOf));
  const out: GeoFinding[] = [];
  for (const e of logins.filter((l) => l.event_time_ms >= settings.fromMs)) {
    const key = keyOf(e);
    if (key === null || known.has(key)) continue;
    known.add(key);
    out.push({ reason, user_id: e.user_id as string, event_time: e.event_time });
  }
  return out;
}

function travels(logins: EventRecord[], settings: Settings): GeoFinding[] {
  const out: GeoFinding[] = [];
  logins.forEach((e, i) => {
    const prev = logins[i - 1];
    if (!prev || e.event_time_ms < settings.fromMs || prev.ip_country === e.ip_country) return;
    const a = COUNTRY_POINTS[prev.ip_country as string];
    const b = COUNTRY_POINTS[e.ip_country as string];
    if (!a || !b) return;
    const hours = (e.event_time_ms - prev.event_time_ms) / 3_600_000;
    if (greatCircleKm(a, b) > settings.maxSpeedKmh * hours) {
      out.push({ reason: 'impossible_travel', user_id: e.user_id as string, event_time: e.event_time });
    }
  });
  return out;
}

/** geo_logins' findings computed in TypeScript straight from the definitions in its header. */
export function expectedGeoFindings(events: readonly EventRecord[], settings: Settings): GeoFinding[] {
  const users = new Map<string, EventRecord[]>();
  for (const e of events) {
    if (e.category !== 'login' || e.user_id === null || (e.ip_country ?? null) === null) continue;
    if (e.event_time_ms < settings.historyFromMs || e.event_time_ms >= settings.toMs) continue;
    const list = users.get(e.user_id) ?? [];
    list.push(e);
    users.set(e.user_id, list);
  }
  const findings: GeoFinding[] = [];
  for (const list of users.values()) {
    const logins = list.sort(byTime);
    findings.push(
      ...firstUnknown(
        logins,
        settings,
        (e) => e.ip_country,
        (h) => h.length >= settings.minHistoryLogins,
        'new_country',
      ),
      ...firstUnknown(
        logins,
        settings,
        (e) => (e.ip_asn === null ? null : String(e.ip_asn)),
        (h) => h.some((e) => e.ip_asn !== null),
        'new_network',
      ),
      ...travels(logins, settings),
    );
  }
  return findings.sort(
    (a, b) =>
      a.event_time.localeCompare(b.event_time) ||
      a.user_id.localeCompare(b.user_id) ||
      a.reason.localeCompare(b.reason),
  );
}

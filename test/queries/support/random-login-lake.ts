import type { EventCategory } from '../../../functions/core/domo/event-category.ts';
import type { CoverageManifest } from '../../../functions/core/lake/coverage-manifest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { DAY_MS, floorHour, HOUR_MS } from '../../../functions/core/time-units.ts';
import { Prng } from '../../../functions/simulator/index.ts';
import { event, login, manifest } from './lake-fixture.ts';
import { randomAddresses } from './random-addresses.ts';

/** Countries with their network owners; UM has no reference point for a journey's speed. */
const PLACES: Record<string, [number, string | null][]> = {
  US: [
    [7922, 'Comcast'],
    [7018, 'AT&T'],
  ],
  DE: [[3320, 'Deutsche Telekom AG']],
  GB: [
    [2856, 'British Telecommunications PLC'],
    [5089, null],
  ],
  JP: [[2516, 'KDDI Corporation']],
  FR: [[3215, 'Orange S.A.']],
  BR: [[28573, 'Claro']],
  UM: [[64512, 'Islands']],
};
const COUNTRIES = Object.keys(PLACES);

/** Addresses shared by users, each in several spellings of one address. */
const SHARED = [
  ['73.1.2.3', ' 73.1.2.3\t', '::ffff:73.1.2.3', '::ffff:4901:203'],
  ['86.130.1.1', '0:0:0:0:0:ffff:86.130.1.1'],
  ['2001:db8:ab::1', '2001:DB8:00ab::1', ' 2001:db8:ab::1\r\n'],
  ['106.128.1.1'],
  ['24.0.0.9', '24.0.0.9 '],
  ['127.0.0.1'],
  ['::1'],
];

export interface RandomLoginLake {
  events: EventRecord[];
  coverage: CoverageManifest[];
}

/** The lake's bounds and the dice, shared by the helpers below. */
interface Shape {
  rng: Prng;
  fromMs: number;
  toMs: number;
  historyFromMs: number;
  junk: string[];
}

/** One user's habits: who, from where, when, and how often the geo database placed them. */
interface Person {
  user: { user_id: string | null; user_name: string | null };
  home: string;
  addresses: string[];
  habit: number;
  unplaced: number;
}

const time = (ms: number) => lakeTimestamp(ms).replace('T', ' ').slice(0, 23);

/** An instant in [lo, hi) (or on an edge of the windows), most often within an hour of `habit`. */
function instant({ rng, fromMs, toMs, historyFromMs }: Shape, lo: number, hi: number, habit: number): number {
  if (rng.chance(0.03))
    return rng.pick([historyFromMs - 1, historyFromMs, fromMs - 1, fromMs, toMs - 1, toMs]);
  const day = Math.floor(rng.int(lo, hi - 1) / DAY_MS) * DAY_MS;
  const hour = rng.chance(0.8) ? (habit + rng.int(23, 25)) % 24 : rng.int(0, 23);
  return day + hour * HOUR_MS + rng.int(0, HOUR_MS - 1);
}

function signIn({ rng, junk }: Shape, person: Person, ms: number): EventRecord {
  const placed = !rng.chance(person.unplaced);
  const country = rng.chance(0.7) ? person.home : rng.pick(COUNTRIES);
  const [asn, org] = rng.pick(PLACES[country] ?? []);
  const ip = rng.chance(0.05) ? null : rng.chance(0.8) ? rng.pick(person.addresses) : rng.pick(junk);
  const category: EventCategory = rng.chance(0.85) ? 'login' : rng.pick(['login_failed', 'lockout']);
  const window = floorHour(ms) + (rng.chance(0.03) ? HOUR_MS : 0);
  return login(time(ms), category, {
    ...person.user,
    ip_address: ip,
    ip_country: placed ? country : null,
    // An owner without a country now and then: the lookup may know one and not the other.
    ip_asn: (placed || rng.chance(0.5)) && !rng.chance(0.1) ? asn : null,
    ip_org: placed && !rng.chance(0.1) ? org : null,
    geo_db_version: placed ? 'g' : null,
    window_start_ms: window,
    window_end_ms: window + HOUR_MS,
  });
}

function userSignIns(shape: Shape, u: number): EventRecord[] {
  const { rng } = shape;
  const person: Person = {
    user: rng.chance(0.03)
      ? { user_id: null, user_name: null }
      : { user_id: `u${u}`, user_name: `User ${u}` },
    home: rng.pick(COUNTRIES),
    addresses: Array.from({ length: rng.int(1, 3) }, () =>
      rng.chance(0.6) ? rng.pick(rng.pick(SHARED)) : rng.pick(shape.junk),
    ),
    // Near midnight often: the hours whose neighbours wrap around the clock.
    habit: rng.chance(0.5) ? rng.pick([22, 23, 0, 1, 2]) : rng.int(0, 23),
    // Some users signed in through a geo outage: many of their sign-ins unplaced.
    unplaced: rng.pick([0.05, 0.12, 0.4]),
  };
  const history = rng.pick([0, 1, 2, 3, 9, 10, 11, rng.int(12, 60)]);
  const period = rng.pick([0, 1, 2, 5, rng.int(0, 20)]);
  const mine = [
    ...Array.from({ length: history }, () =>
      signIn(shape, person, instant(shape, shape.historyFromMs, shape.fromMs, person.habit)),
    ),
    ...Array.from({ length: period }, () =>
      signIn(shape, person, instant(shape, shape.fromMs, shape.toMs, person.habit)),
    ),
  ];
  // Sign-ins in the same millisecond as another of the user's, from anywhere.
  for (const other of mine.filter(() => rng.chance(0.08)))
    mine.push(signIn(shape, person, other.event_time_ms));
  return mine;
}

/** Manifests of most hours, some counting more or fewer events than the lake holds. */
function coverageOf(
  { rng, fromMs, toMs, historyFromMs }: Shape,
  events: readonly EventRecord[],
): CoverageManifest[] {
  const stored = new Map<number, number>();
  for (const e of events) stored.set(e.window_start_ms, (stored.get(e.window_start_ms) ?? 0) + 1);
  const coverage: CoverageManifest[] = [];
  for (let hour = historyFromMs - DAY_MS; hour < toMs + DAY_MS; hour += HOUR_MS) {
    if (rng.chance(0.08) && hour !== toMs - HOUR_MS) continue;
    const held = stored.get(hour) ?? 0;
    // The hours at the week's edges hold fewer events than counted: the hour the period's end cuts
    // is no shortfall, the last whole one is.
    const edge = hour === fromMs || hour === toMs - HOUR_MS || hour === toMs;
    const more = edge || rng.chance(0.1);
    const counted = more ? held + rng.int(1, 3) : rng.chance(0.05) ? Math.max(0, held - 1) : held;
    coverage.push(
      manifest(time(hour).slice(0, 16), {
        event_count: counted,
        late_events_total: rng.int(0, 2),
        quarantined_count: rng.int(0, 1),
        out_of_window_count: rng.int(0, 1),
        fetched_at: new Date(hour + HOUR_MS + rng.int(0, HOUR_MS)).toISOString(),
      }),
    );
  }
  return coverage;
}

/**
 * Sign-ins (and other events) of `users` users around the week [fromMs, fromMs + 7 days) and the
 * `historyDays` before it, the same for one seed: users with no, few, about min_history_logins and
 * many history sign-ins; several countries (UM too) and network owners, unplaced sign-ins, owners
 * and organisations unknown or known alone; shared addresses in several spellings, junk, IPv6,
 * mapped and missing ones; sign-ins in the same millisecond, hours near midnight, instants on the
 * windows' edges, and records stored in a later hour's object. Coverage manifests for most hours.
 */
export function randomLoginLake(
  seed: string,
  fromMs: number,
  historyDays: number,
  users: number,
): RandomLoginLake {
  const shape: Shape = {
    rng: new Prng(seed),
    fromMs,
    toMs: fromMs + 7 * DAY_MS,
    historyFromMs: fromMs - historyDays * DAY_MS,
    junk: randomAddresses(seed, 400),
  };
  const { rng } = shape;
  const events = Array.from({ length: users }, (_, u) => userSignIns(shape, u)).flat();
  for (let i = 0; i < 1500; i++) {
    const ms = instant(shape, fromMs - DAY_MS, shape.toMs + DAY_MS, rng.int(0, 23));
    const user_id = rng.chance(0.05) ? null : `u${rng.int(0, users)}`;
    events.push(event(time(ms), { user_id, object_id: String(rng.int(1, 9)) }));
  }
  return { events, coverage: coverageOf(shape, events) };
}

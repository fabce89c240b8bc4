import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { SprayScope } from '../../../functions/core/alerts/spray-groups.ts';
import {
  bundleEntries,
  hoursFile,
  manifestFile,
  sumsFile,
} from '../../../functions/core/evidence/evidence-bundle.ts';
import {
  type EvidenceRequest,
  eventNamesUser,
  eventOfAddress,
  quarantinedNamesUser,
  quarantinedOfAddress,
  readEvidenceHours,
  rowOfAddress,
} from '../../../functions/core/evidence/evidence-hours.ts';
import { activityKey, coverageKey, quarantineKey } from '../../../functions/core/lake/layout.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const H0 = Date.parse('2026-11-24T04:00:00Z');
const USER = '2143862983';
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const text = (body: Uint8Array) => new TextDecoder().decode(body);

/**
 * Lines as an older writer (or another tool) might have spelled them: spaces, key order, escapes and
 * characters past ASCII that a parse and a stringify would change. The bundle must keep them as is.
 */
const HOUR0_LINES = [
  `{"event_id":"a","user_id":"${USER}","actor_id":"0","object_type":"PAGE","object_id":"1","event_text":"Viewed page \\u00e9t\\u00e9"}`,
  `{"user_id": "1426298622", "event_id": "b", "actor_id": "0", "object_type": "USER", "object_id": "${USER}", "event_text": "Changed user role — Admin"}`,
  `{"event_id":"c","user_id":"1426298622","actor_id":"0","object_type":"PAGE","object_id":"${USER}"}`,
  `{"event_id":"d","user_id":"555","actor_id":"${USER}","object_type":"CARD","object_id":"7"}`,
  `{"event_id":"e","user_id":"555","actor_id":"0","object_type":"user","object_id":"${USER}"}`,
  `{"event_id":"f","user_id":"555","actor_id":"0","object_type":"CARD","object_id":"9","additional_comment":"${USER} is named in a comment only"}`,
];
const QUARANTINE_LINES = [
  `{"quarantine_id":"q1","reason":"entry has no time field","raw":"{\\"userId\\":${USER}}"}`,
  '{"quarantine_id":"q2","reason":"entry has no time field","raw":"{\\"userId\\":1}"}',
];
const gz = (lines: readonly string[]) => gzipSync(Buffer.from(lines.map((l) => `${l}\n`).join('')));

/** Hour 0: events and quarantine; hour 1: covered, no event; hour 2: nothing at all. */
function lake(): { store: MemoryObjectStore; manifest0: Uint8Array } {
  const store = new MemoryObjectStore();
  store.putNow(activityKey('main', H0), gz(HOUR0_LINES));
  store.putNow(quarantineKey('main', H0), gz(QUARANTINE_LINES));
  const manifest0 = Buffer.from('{"window_start_ms": 1, "events":6}\n');
  store.putNow(coverageKey('main', H0), manifest0);
  store.putNow(coverageKey('main', H0 + HOUR_MS), Buffer.from('{"events":0}'));
  return { store, manifest0 };
}

const request = { instance: 'main', fromMs: H0, toMs: H0 + 3 * HOUR_MS, userId: USER };

/**
 * The hours read into memory: the lines and manifests the sink was handed, in order, with the
 * hours' account, and the calls in the order made (`events:<hour>` and so on).
 */
async function readHours(store: ObjectStore, asked: EvidenceRequest) {
  const events: string[] = [];
  const quarantined: string[] = [];
  const manifests: { key: string; body: Uint8Array }[] = [];
  const found = await readEvidenceHours(store, asked, {
    events: (lines) => {
      events.push(...lines);
    },
    quarantined: (lines) => {
      quarantined.push(...lines);
    },
    manifest: (key, body) => {
      manifests.push({ key, body });
    },
  });
  return { ...found, events, quarantined, manifests };
}

describe("an evidence bundle's hours", () => {
  it("keeps the user's lines exactly as stored: by them, acting as another, done to them", async () => {
    const { store } = lake();
    const found = await readHours(store, request);
    // Not c (a PAGE of that id), not f (the id in a text only); e's lower-case USER as upper() reads it.
    expect(found.events).toEqual([HOUR0_LINES[0], HOUR0_LINES[1], HOUR0_LINES[3], HOUR0_LINES[4]]);
    expect(found.quarantined).toEqual([QUARANTINE_LINES[0]]);
  });

  it('hands each hour to the sink before the next hour is read, holding none of them', async () => {
    const { store } = lake();
    store.putNow(activityKey('main', H0 + 2 * HOUR_MS), gz([HOUR0_LINES[0] ?? '']));
    const seen: string[] = [];
    const hourOf = (key: string) => key.slice(key.lastIndexOf('T') + 1, key.lastIndexOf('T') + 3);
    const watched = Object.create(store) as ObjectStore;
    watched.get = async (key) => {
      seen.push(`get ${hourOf(key)}`);
      return store.get(key);
    };
    const found = await readEvidenceHours(watched, request, {
      events: (lines) => {
        seen.push(`events ${lines.length}`);
      },
      quarantined: (lines) => {
        seen.push(`quarantined ${lines.length}`);
      },
      manifest: (key) => {
        seen.push(`manifest ${hourOf(key)}`);
      },
    });
    expect(seen).toEqual([
      ...['get 04', 'get 04', 'get 04', 'events 4', 'manifest 04', 'quarantined 1'],
      // An hour that keeps no line is not handed over: only its manifest.
      ...['get 05', 'get 05', 'get 05', 'manifest 05'],
      ...['get 06', 'get 06', 'get 06', 'events 1'],
    ]);
    expect(Object.keys(found)).toEqual(['hours']);
  });

  it('accounts for every hour: the objects read with their sha256 and size, or null', async () => {
    const { store, manifest0 } = lake();
    const found = await readHours(store, request);
    const activity = gz(HOUR0_LINES);
    expect(found.hours).toEqual([
      {
        hour: '2026-11-24T04:00:00.000Z',
        activity: {
          key: activityKey('main', H0),
          sha256: sha256(activity),
          bytes: activity.byteLength,
          lines: 6,
          kept: 4,
        },
        coverage: { key: coverageKey('main', H0), sha256: sha256(manifest0), bytes: manifest0.byteLength },
        quarantine: expect.objectContaining({ key: quarantineKey('main', H0), lines: 2, kept: 1 }),
      },
      {
        hour: '2026-11-24T05:00:00.000Z',
        activity: null,
        coverage: expect.objectContaining({ key: coverageKey('main', H0 + HOUR_MS) }),
        quarantine: null,
      },
      { hour: '2026-11-24T06:00:00.000Z', activity: null, coverage: null, quarantine: null },
    ]);
    expect(found.manifests.map((m) => [m.key, text(m.body)])).toEqual([
      [coverageKey('main', H0), text(manifest0)],
      [coverageKey('main', H0 + HOUR_MS), '{"events":0}'],
    ]);
  });

  it('without a user keeps every line', async () => {
    const { store } = lake();
    const { userId: _, ...everyone } = request;
    const found = await readHours(store, everyone);
    expect(found.events).toEqual(HOUR0_LINES);
    expect(found.quarantined).toEqual(QUARANTINE_LINES);
  });

  it("by address keeps only the lines of the address's group, and the entries whose text holds it", async () => {
    const store = new MemoryObjectStore();
    const lines = [
      '{"event_id":"a","user_id":"1","ip_address":"5.6.7.8:50001"}',
      '{"event_id":"b","user_id":"2","ip_address":"10.0.0.1, 5.6.7.8"}',
      '{"event_id":"c","user_id":"3","ip_address":"5.6.7.9"}',
      '{"event_id":"d","user_id":"4","ip_address":null}',
    ];
    store.putNow(activityKey('main', H0), gz(lines));
    store.putNow(
      quarantineKey('main', H0),
      gz(['{"raw":"{\\"ip\\":\\"5.6.7.8\\"}"}', '{"raw":"{\\"ip\\":\\"5.6.7.9\\"}"}']),
    );
    const address = { scope: 'address', group: '5.6.7.8' } as const;
    const found = await readHours(store, { instance: 'main', fromMs: H0, toMs: H0 + HOUR_MS, address });
    expect(found.events).toEqual(lines.slice(0, 2));
    expect(found.quarantined).toEqual(['{"raw":"{\\"ip\\":\\"5.6.7.8\\"}"}']);
    expect(found.hours[0]?.activity).toMatchObject({ lines: 4, kept: 2 });
    const network = { scope: 'network', group: '5.6.7.0/24' } as const;
    const ofNetwork = await readHours(store, {
      instance: 'main',
      fromMs: H0,
      toMs: H0 + HOUR_MS,
      address: network,
    });
    expect(ofNetwork.events).toEqual(lines.slice(0, 3));
    // An entry holding an address of the /24 is the network's.
    expect(ofNetwork.quarantined).toEqual([
      '{"raw":"{\\"ip\\":\\"5.6.7.8\\"}"}',
      '{"raw":"{\\"ip\\":\\"5.6.7.9\\"}"}',
    ]);
  });

  it('keeps the quarantined entries holding an address of an IPv6 /64 or network, whose group no text holds', () => {
    const of = (raw: string, scope: SprayScope, group: string) =>
      quarantinedOfAddress({ raw }, { scope, group });
    const v6 = '{"ipAddress":"[2a00:1450:4001:81c::15]:443","userId":"7"}';
    expect(of(v6, 'address', '2a00:1450:4001:81c::/64')).toBe(true);
    expect(of(v6, 'network', '2a00:1450:4001::/48')).toBe(true);
    expect(of(v6, 'address', '2a00:1450:4001:81d::/64')).toBe(false);
    expect(of('{"ip":"10.0.0.1, 5.6.7.8"}', 'network', '5.6.7.0/24')).toBe(true);
    expect(of('{"ip":"5.6.7.8"}', 'network', '5.6.8.0/24')).toBe(false);
    // An owner or names of no user are no text: none kept.
    expect(of('{"ip":"5.6.7.8","asn":14061}', 'owner', 'AS14061')).toBe(false);
    expect(of('{"user":"0"}', 'instance', 'any address')).toBe(false);
  });

  it("matches an event's group as the spray's detector groups its failures", () => {
    const of = (record: Record<string, unknown>, scope: SprayScope, group: string) =>
      eventOfAddress(record, { scope, group });
    expect(of({ ip_address: '[2a00:1450:4001:81c::15]:443' }, 'address', '2a00:1450:4001:81c::/64')).toBe(
      true,
    );
    expect(of({ ip_address: '2a00:1450:4001:81d::15' }, 'network', '2a00:1450:4001::/48')).toBe(true);
    expect(of({ ip_address: '178.62.10.7', ip_asn: 14061 }, 'owner', 'AS14061')).toBe(true);
    // A private address has no owner of the attacker's, whatever the geo data said; nor a text.
    expect(of({ ip_address: '10.1.2.3', ip_asn: 14061 }, 'owner', 'AS14061')).toBe(false);
    expect(of({ ip_address: '178.62.10.7', ip_asn: '14061' }, 'owner', 'AS14061')).toBe(false);
    expect(of({ user_id: ' 0 ' }, 'instance', 'any address')).toBe(true);
    expect(of({ user_id: null }, 'instance', 'any address')).toBe(true);
    expect(of({ user_id: 7 }, 'instance', 'any address')).toBe(false);
    expect(of({ ip_address: 'UNKNOWN' }, 'address', '')).toBe(false);
  });

  it("keeps a row of address_activity only when the lines' rule puts it in the group", () => {
    const address = { scope: 'address', group: '5.6.7.8' } as const;
    expect(rowOfAddress({ ip_address: '5.6.7.8:443' }, address)).toBe(true);
    // Found by the query as a proxy hop of another client's list: not of the group.
    expect(rowOfAddress({ ip_address: '9.9.9.9, 5.6.7.8' }, address)).toBe(false);
    const owner = { scope: 'owner', group: 'AS14061' } as const;
    expect(rowOfAddress({ ip_address: '178.62.10.7', asn: 14061 }, owner)).toBe(true);
    expect(rowOfAddress({ ip_address: '10.1.2.3', asn: 14061 }, owner)).toBe(false);
  });

  it('a user with no event still gives every file: an empty events file, the hours, the manifests', async () => {
    const { store, manifest0 } = lake();
    const nobody = { ...request, userId: '999' };
    const found = await readHours(store, nobody);
    expect([found.events, found.quarantined]).toEqual([[], []]);
    expect(found.manifests.map((m) => m.key)).toEqual([
      coverageKey('main', H0),
      coverageKey('main', H0 + HOUR_MS),
    ]);
    const file = hoursFile(found, nobody);
    expect(file.path).toBe('hours.json');
    const account = JSON.parse(text(file.body));
    expect(account.case).toEqual({
      instance: 'main',
      from: '2026-11-24T04:00:00.000Z',
      to: '2026-11-24T07:00:00.000Z',
      user_id: '999',
      note: null,
    });
    expect(account.counts).toEqual({
      events: 0,
      quarantined: 0,
      hours: 3,
      hours_with_manifest: 2,
      hours_with_events: 0,
    });
    expect(found.manifests[0]?.body).toEqual(manifest0);
  });

  it('names the object that does not read', async () => {
    const { store } = lake();
    store.putNow(activityKey('main', H0 + 2 * HOUR_MS), Buffer.from('not gzip'));
    await expect(readHours(store, request)).rejects.toThrow(activityKey('main', H0 + 2 * HOUR_MS));
  });

  it('matches a user as user_activity does', () => {
    expect(eventNamesUser({ user_id: USER }, USER)).toBe(true);
    expect(eventNamesUser({ actor_id: USER }, USER)).toBe(true);
    expect(eventNamesUser({ object_type: 'User', object_id: USER }, USER)).toBe(true);
    expect(eventNamesUser({ object_type: 'GROUP', object_id: USER }, USER)).toBe(false);
    expect(eventNamesUser({ object_type: 'uSeR', object_id: Number(USER) }, USER)).toBe(true);
    expect(eventNamesUser({ object_type: 'USER ', object_id: USER }, USER)).toBe(false);
    expect(eventNamesUser({ user_id: ` ${USER}` }, USER)).toBe(false);
    expect(eventNamesUser({ user_id: Number(USER) + 0.5 }, USER)).toBe(false);
  });

  it('keeps a quarantined entry whose text holds the id only through JSON escapes', () => {
    const escaped = [...USER].map((digit) => `\\u00${digit.charCodeAt(0).toString(16)}`).join('');
    const raw = `{"userId":"${escaped}"}`;
    expect(raw).not.toContain(USER);
    expect(quarantinedNamesUser({ raw }, USER)).toBe(true);
    expect(quarantinedNamesUser({ raw: '{"userId":"1"} not json' }, USER)).toBe(false);
  });
});

describe("an evidence bundle's lists of files", () => {
  const files = [
    { path: 'lake/coverage/x.json', body: Buffer.from('{}') },
    { path: 'events.ndjson', body: Buffer.from('') },
  ];

  it('SHA256SUMS in the form sha256sum -c reads, by path', () => {
    expect(text(sumsFile(bundleEntries(files)).body)).toBe(
      `${sha256('')}  events.ndjson\n${sha256('{}')}  lake/coverage/x.json\n`,
    );
  });

  it('refuses a name sha256sum would read otherwise', () => {
    expect(() => sumsFile(bundleEntries([{ path: 'a\nb', body: Buffer.from('') }]))).toThrow(/sha256sum/);
  });

  it('the manifest states the case, the maker and each file with its sha256 and size', async () => {
    const { store } = lake();
    const found = await readHours(store, request);
    const maker = {
      createdAt: '2026-12-07T01:00:00.000Z',
      tool: 'domo-activity-lake 0.1.0',
      lake: '/l',
      domoCustomer: 'acme',
    };
    const manifest = JSON.parse(text(manifestFile(bundleEntries(files), request, found, maker).body));
    expect(manifest).toMatchObject({
      format: 'domo-activity-lake/evidence@1',
      created_at: '2026-12-07T01:00:00.000Z',
      tool: 'domo-activity-lake 0.1.0',
      lake: '/l',
      domo_customer: 'acme',
      case: { instance: 'main', user_id: USER },
      counts: { events: 4, quarantined: 1 },
      files: [
        { path: 'events.ndjson', sha256: sha256(''), bytes: 0 },
        { path: 'lake/coverage/x.json', sha256: sha256('{}'), bytes: 2 },
      ],
    });
  });
});

import { describe, expect, it } from 'vitest';
import { loadGeoDatabase } from '../../functions/adapters/geo-file-lookup.ts';
import { COUNTRY_POINTS } from '../../functions/core/geo/country-points.ts';
import {
  freshPrefixIn,
  SIM_NETWORKS,
  v4HostIn,
  v6NetworkIn,
  ZONE_COUNTRIES,
} from '../../functions/simulator/geo-networks.ts';
import { generateInstance, Prng } from '../../functions/simulator/index.ts';
import { ipv6Host } from '../../functions/simulator/ip-networks.ts';

const { database } = loadGeoDatabase();

const v4Edges = (cidr: string): string[] => {
  const [address = '', bits = '32'] = cidr.split('/');
  const base = address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
  const last = base + 2 ** (32 - Number(bits)) - 1;
  const text = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
  return [text(base + 1), text(Math.floor((base + last) / 2)), text(last - 1)];
};

describe('simulated networks are where the shipped geo database puts them', () => {
  for (const network of SIM_NETWORKS) {
    const label = `${network.org} ${network.country} ${network.v4}${network.v6 ? ` ${network.v6}` : ''}`;
    it(label, () => {
      const rng = new Prng(`${network.asn}/${network.country}`);
      const addresses = [...v4Edges(network.v4), ...Array.from({ length: 20 }, () => v4HostIn(rng, network))];
      if (network.v6) {
        for (let i = 0; i < 20; i++) addresses.push(ipv6Host(rng, v6NetworkIn(rng, network)));
      }
      for (const address of addresses) {
        // On failure: the data packages moved this block; pick another with the same owner and country.
        expect(database.lookup(address), `${address} (${label})`).toEqual({
          country: network.country,
          asn: network.asn,
          org: network.org,
        });
      }
    });
  }

  it('every home zone has a fixed line and a carrier, and every country a reference point', () => {
    for (const country of new Set(Object.values(ZONE_COUNTRIES))) {
      const kinds = SIM_NETWORKS.filter((n) => n.country === country).map((n) => n.kind);
      expect(kinds, country).toContain('fixed');
      expect(kinds, country).toContain('mobile');
    }
    for (const n of SIM_NETWORKS) expect(COUNTRY_POINTS[n.country], n.country).toBeDefined();
  });

  it('the generated sign-ins are all placed by the database (no unknown addresses)', () => {
    const fromMs = Date.parse('2026-10-05T00:00:00Z');
    const inst = generateInstance({
      seed: 7,
      fromMs,
      toMs: fromMs + 28 * 86_400_000,
      users: 60,
      eventsPerUserDay: 2,
    });
    const logins = inst.events.filter((e) => e.entry.actionType === 'LOGGED_IN');
    const unplaced = logins.filter((e) => database.lookup(String(e.entry.ipAddress))?.country == null);
    expect(unplaced.map((e) => e.entry.ipAddress)).toEqual([]);
    const users = new Map(inst.users.map((u) => [u.userId, u]));
    const plantedUsers = new Set(inst.planted.map((p) => p.userId));
    // Apart from the planted stories, everyone signs in from their home country only.
    const abroad = logins.filter(
      (e) =>
        !plantedUsers.has(String(e.entry.userId)) &&
        database.lookup(String(e.entry.ipAddress))?.country !== users.get(String(e.entry.userId))?.country,
    );
    expect(abroad).toEqual([]);
  });
});

describe('drawing /24s from a small block', () => {
  it('hands out fresh /24s while it can, then shares one instead of looping forever', () => {
    const small = SIM_NETWORKS.find((n) => n.v4.endsWith('/23')) as (typeof SIM_NETWORKS)[number];
    const rng = new Prng('small');
    const used = new Set<string>();
    const drawn = Array.from({ length: 10 }, () => freshPrefixIn(rng, small, used));
    expect(new Set(drawn).size).toBe(2);
    expect(drawn.slice(0, 2)).toHaveLength(2);
  });
});

/**
 * README.txt's Places: line says the queries read the places as stored only in a bundle where a
 * query ran: a bundle by an IPv6 /64 or of names of no user runs none.
 */
import { expect, it } from 'vitest';
import { type EvidenceReadmeFacts, evidenceReadme } from '../../functions/cli/evidence-readme.ts';

const FACTS: EvidenceReadmeFacts = {
  createdAt: '2026-12-07T12:00:00.000Z',
  tool: 'domo-activity-lake 1.0.0',
  node: 'v20.0.0',
  duckdb: undefined,
  lake: 'lake',
  instance: 'main',
  domoCustomer: undefined,
  from: '2026-12-06T00:00:00.000Z',
  to: '2026-12-07T00:00:00.000Z',
  userId: undefined,
  address: { scope: 'network', group: '2a00:1450:4001:81c::/64' },
  counts: { events: 2, quarantined: 0, hours: 24, hours_with_manifest: 24, hours_with_events: 1 },
  check: { result: 'OK', caveats: [], head: undefined },
  queries: [],
  geoDatabases: [{ version: 'dbip-2026-12', released: '2026-12-01', events: 2 }],
};

it('says the queries read the places as stored only where a query ran', () => {
  const none = evidenceReadme(FACTS);
  expect(none).toContain('by the geo database its geo_db_version names:\n');
  expect(none).not.toContain('the queries read them');
  const ran = evidenceReadme({
    ...FACTS,
    duckdb: '1.1.3',
    address: { scope: 'address', group: '5.6.7.8' },
    queries: [{ name: 'address_activity', file: 'queries/address_activity.json', rows: 2 }],
  });
  expect(ran).toContain('by the geo database its geo_db_version names; the queries read them as stored:\n');
});

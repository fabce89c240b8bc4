/**
 * The query to dig further reads two days of alerts: the most serious alert's, not the newest
 * ones'. The demo's message of 14 alerts dug into the latest 6 (an unusual hour, a spray, a
 * lockout) and left out the impossible travel three days before them, the stolen account
 * (incident-responder review, F-RUNBOOK 2).
 */
import { describe, expect, it } from 'vitest';
import { type Alert, type AlertKind, alertId } from '../../../functions/core/alerts/alert.ts';
import { alertsToDig } from '../../../functions/core/alerts/dig-further.ts';
import { DIG_SERIOUSNESS, mostSerious } from '../../../functions/core/alerts/dig-seriousness.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { textWords } from '../../support/text-part.ts';

const NOW = Date.parse('2026-11-30T00:00:00Z');
const options = { instance: 'main', timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 * 8 };

const alert = (kind: AlertKind, at: string, user: string): Alert => {
  const ms = Date.parse(at);
  return {
    id: alertId('main', kind, [`${kind}${ms}`]),
    instance: 'main',
    kind,
    user_id: user,
    user_name: `User ${user}`,
    event_time: lakeTimestamp(ms),
    event_time_ms: ms,
    evidence: 'as planted',
    ip_address: '154.28.124.189',
    event_ids: [`${kind}${ms}`],
  };
};

/** The demo's week of alerts (2026-W48), as its alerts mail lists them. */
const demoWeek = [
  alert('impossible_travel', '2026-11-24T04:48:00Z', 'chen'),
  alert('new_country', '2026-11-24T04:48:00Z', 'chen'),
  alert('new_network', '2026-11-24T04:48:00Z', 'chen'),
  alert('unusual_hour', '2026-11-24T11:08:00Z', 'jamal'),
  alert('new_network', '2026-11-25T02:39:00Z', 'leonard'),
  alert('new_country', '2026-11-25T07:01:00Z', 'wei'),
  alert('unusual_hour', '2026-11-26T06:41:00Z', 'wei'),
  alert('failed_login_burst', '2026-11-26T11:52:00Z', 'tomas'),
  alert('lockout', '2026-11-26T11:53:00Z', 'tomas'),
  alert('unusual_hour', '2026-11-27T15:09:00Z', 'yara'),
  alert('unusual_hour', '2026-11-27T23:12:00Z', 'wei'),
];

describe('which alerts the query to dig further names', () => {
  it('the impossible travel and what came the day after it, not the newest minor ones', () => {
    const dug = alertsToDig(demoWeek);
    expect(dug.map((a) => a.kind)).toContain('impossible_travel');
    expect(new Set(dug.map((a) => a.user_id))).toEqual(new Set(['chen', 'jamal', 'leonard', 'wei']));
    const message = renderAlertMessage(demoWeek, options);
    expect(message.text).toContain("'chen'");
    expect(message.text).toContain("dt BETWEEN '2026-11-23' AND '2026-11-26'");
    expect(message.text).not.toContain("'yara'");
    expect(textWords(message.text)).toContain(
      'The query below digs into 6 of the 11 alerts listed above, those about events on 2026-11-24 and 2026-11-25 UTC, around the most serious (login after impossible travel), so that it reads only a few days of the lake',
    );
  });

  it('a sign-in after a spray before a new country, and a new country before an unusual hour', () => {
    const spray = [
      alert('login_after_spray', '2026-11-20T03:00:00Z', 'a'),
      alert('new_country', '2026-11-24T03:00:00Z', 'b'),
      alert('unusual_hour', '2026-11-27T03:00:00Z', 'c'),
    ];
    expect(alertsToDig(spray).map((a) => a.user_id)).toEqual(['a']);
    expect(alertsToDig(spray.slice(1)).map((a) => a.user_id)).toEqual(['b']);
  });

  it('of alerts equally serious, the newest days, as before', () => {
    const lockouts = [
      alert('lockout', '2026-11-23T03:00:00Z', 'a'),
      alert('lockout', '2026-11-26T03:00:00Z', 'b'),
      alert('lockout', '2026-11-27T03:00:00Z', 'c'),
    ];
    expect(alertsToDig(lockouts).map((a) => a.user_id)).toEqual(['b', 'c']);
    expect(textWords(renderAlertMessage(lockouts, options).text)).toContain(
      'The query below digs into the latest 2 of the 3 alerts listed above',
    );
  });
});

/** An alert of the demo's takeover week (review ALERTIR 1), its user and address as raised. */
const raised = (kind: AlertKind, at: string, user: string, ip: string): Alert => ({
  ...alert(kind, at, user),
  ip_address: ip,
});

describe('of alerts equally serious, the one whose sign-in was put to use', () => {
  // The demo's takeover: impossible travel, then from the same address a token, a user raised to
  // Admin and added to Admins; the day after, a user back from her own earlier address after
  // failed logins (the newest of the top rank, which the old pick dug into).
  const week = [
    raised('password_spray', '2026-11-26T04:58:00Z', 'spray', '3.64.96.95'),
    raised('impossible_travel', '2026-11-26T12:10:00Z', 'amara', '44.250.223.4'),
    raised('privileged_change', '2026-11-26T12:15:00Z', 'amara', '44.250.223.4'),
    raised('privileged_change', '2026-11-26T12:17:00Z', 'amara', '44.250.223.4'),
    raised('privileged_change', '2026-11-26T12:19:00Z', 'amara', '44.250.223.4'),
    raised('failed_login_burst', '2026-11-27T06:45:00Z', 'ines', '13.201.120.214'),
    raised('login_after_failures', '2026-11-27T06:47:00Z', 'ines', '157.38.168.95'),
    raised('lockout', '2026-11-27T06:48:00Z', 'ines', '13.201.120.214'),
  ];

  it('the impossible travel followed by privileged changes, not the newer login after failures', () => {
    expect(mostSerious(week)?.kind).toBe('impossible_travel');
    expect(mostSerious([...week].reverse())?.kind).toBe('impossible_travel');
    const dug = alertsToDig(week);
    expect(dug.map((a) => a.kind)).toContain('privileged_change');
    expect(renderAlertMessage(week, options).text).toContain("'amara'");
  });

  it('without a change after either, the newest, as before', () => {
    const signIns = week.filter((a) => a.kind !== 'privileged_change');
    expect(mostSerious(signIns)?.kind).toBe('login_after_failures');
    // A change before the sign-in is not what it was used for.
    const before = [raised('privileged_change', '2026-11-26T12:00:00Z', 'amara', '44.250.223.4'), ...signIns];
    expect(mostSerious(before)?.kind).toBe('login_after_failures');
  });

  it('a more serious kind still wins over a followed-up lesser one', () => {
    const lesser = [
      raised('new_country', '2026-11-26T12:10:00Z', 'amara', '44.250.223.4'),
      raised('privileged_change', '2026-11-26T12:15:00Z', 'amara', '44.250.223.4'),
      raised('login_after_failures', '2026-11-27T06:47:00Z', 'ines', '157.38.168.95'),
    ];
    expect(mostSerious(lesser)?.kind).toBe('login_after_failures');
  });
});

// The pick counts each candidate's follow-ups from sorted times, not by reading every change for
// every candidate: a catch-up of thousands of privileged changes made that quadratic.
describe('the follow-ups counted from sorted times', () => {
  /** The pick as its rule reads: every change compared with every candidate. */
  const pairwise = (alerts: readonly Alert[]): Alert | undefined => {
    const changes = alerts.filter((a) => a.kind === 'privileged_change' || a.kind === 'bulk_export');
    const follows = (a: Alert) =>
      changes.filter(
        (c) =>
          c !== a &&
          c.event_time_ms >= a.event_time_ms &&
          ((a.user_id !== null && c.user_id === a.user_id) ||
            (a.ip_address !== null && c.ip_address === a.ip_address)),
      ).length;
    let top: Alert | undefined;
    for (const a of alerts) {
      if (top === undefined) {
        top = a;
        continue;
      }
      const [rank, topRank] = [DIG_SERIOUSNESS[a.kind], DIG_SERIOUSNESS[top.kind]];
      const [mine, theirs] = [follows(a), follows(top)];
      if (
        rank < topRank ||
        (rank === topRank && (mine > theirs || (mine === theirs && a.event_time_ms > top.event_time_ms)))
      )
        top = a;
    }
    return top;
  };

  it('picks as comparing every pair does, over random weeks of users, addresses and nulls', () => {
    let seed = 5;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed % n;
    };
    const kinds = Object.keys(DIG_SERIOUSNESS) as AlertKind[];
    for (let round = 0; round < 300; round++) {
      const alerts = Array.from({ length: 1 + next(30) }, () => {
        const base = raised(
          kinds[next(kinds.length)] as AlertKind,
          new Date(Date.parse('2026-11-26T00:00:00Z') + next(12) * 3_600_000).toISOString(),
          `u${next(4)}`,
          `10.0.0.${next(4)}`,
        );
        return {
          ...base,
          id: `${base.id}-${round}-${next(1e9)}`,
          user_id: next(5) === 0 ? null : base.user_id,
          ip_address: next(5) === 0 ? null : base.ip_address,
        };
      });
      expect(mostSerious(alerts), `round ${round}`).toBe(pairwise(alerts));
    }
  });

  it('takes a flood of 20,000 privileged changes as it takes a few', () => {
    const flood = Array.from({ length: 20_000 }, (_, k) => ({
      ...raised(
        'privileged_change',
        new Date(Date.parse('2026-11-26T00:00:00Z') + k * 1000).toISOString(),
        `u${k % 7}`,
        `10.0.1.${k % 5}`,
      ),
      id: `flood-${k}`,
    }));
    // The first change of a user is followed by all that user's later changes and its address's.
    const first = mostSerious(flood);
    expect(first?.id).toBe('flood-0');
  });
});

import type { VirtualTime } from './virtual-time.ts';

/**
 * A Domo allowing `limitAt(t)` requests in any sliding second (token endpoint included), 429 with
 * `Retry-After: 1` above, each answer after `latencyMs`: what review R-PACE's harness served.
 * `takenBefore`: when the requests of a run before (still in its window) were taken, ms from 0.
 */
export function slidingLimitDomo(
  time: VirtualTime,
  limitAt: (t: number) => number,
  latencyMs = 50,
  takenBefore: readonly number[] = [],
) {
  const accepted: number[] = [...takenBefore];
  const counts = { requests: 0, throttled: 0, pages: 0 };
  /** When each page was answered, for the pace after a change of the limit. */
  const answeredAt: number[] = [];
  const fetch = async (url: string) => {
    counts.requests++;
    const arrived = time.clock.now();
    while (accepted.length > 0 && (accepted[0] as number) <= arrived - 1000) accepted.shift();
    await time.sleep(latencyMs);
    if (accepted.length >= limitAt(arrived)) {
      counts.throttled++;
      return new Response('{"status":429}', { status: 429, headers: { 'Retry-After': '1' } });
    }
    accepted.push(arrived);
    if (url.includes('/oauth/token')) return Response.json({ access_token: 'tok', expires_in: 3600 });
    counts.pages++;
    answeredAt.push(time.clock.now());
    return new Response('[]');
  };
  return { fetch, counts, answeredAt };
}

/**
 * A simulated day of a 1M-events-a-day customer (review R-BIG: 20,000 users, a weekday, 1,143,789
 * events, busy hours of 73,000-91,000), served until killed, for measuring an ingest of busy hours
 * by hand (docs/performance.md, "Busy hours on thin reads"):
 * `node --max-old-space-size=8192 --import tsx bench/busy-day-sim.ts [port]` prints its address,
 * its events and each hour's, as JSON; credentials `sim-client` / `sim-secret`.
 */

import { HOUR_MS } from '../functions/core/time-units.ts';
import { generateInstance, startSimulator } from '../functions/simulator/index.ts';

const fromMs = Date.UTC(2026, 10, 3);
const { events } = generateInstance({ seed: 42, fromMs, toMs: fromMs + 24 * HOUR_MS, users: 20_000 });
const perHour = Array.from({ length: 24 }, () => 0);
for (const event of events) {
  const hour = Math.floor((event.timeMs - fromMs) / HOUR_MS);
  perHour[hour] = (perHour[hour] ?? 0) + 1;
}
const sim = await startSimulator({
  events,
  seed: 42,
  // A fixed date: servable however old it gets.
  retentionDays: 100_000,
  port: Number(process.argv[2] ?? 0),
});
console.log(JSON.stringify({ url: sim.url, events: events.length, perHour }));

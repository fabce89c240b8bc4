/**
 * What an alerts run's login profile costs at a given size (docs/alerts.md, "Cost"). `build FILE
 * USERS PER_DAY` folds 31 days of sign-ins (each user PER_DAY a day, from two IPv4 addresses, with
 * 64-character event ids) and stores the profile in FILE; `run FILE USERS PER_DAY` does what a run
 * does with it: loads it, folds the next hour, prunes to 30 days and stores it again. Run `run`
 * under `/usr/bin/time -v` for its peak, with both heap flags the Lambda runtime sets from the
 * function's memory M: `--max-old-space-size` M - M/10 and `--max-semi-space-size` M/10/2 (461 and
 * 25 for 512 MB); the first alone is not what a function runs, and on Node 24 it lets the young
 * generation grow further (1M a day: 406-459 MB against 324-343 MB with both). The functions run on
 * Node 24: run it with that binary too, from the project's root (`node --import tsx`).
 * bench/workload.ts's 1M events a day is 28600 users signing in once a day.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { LoginProfile, type SignIn } from '../functions/core/alerts/login-profile.ts';
import { HOUR_MS, MINUTE_MS } from '../functions/core/time-units.ts';

const START_MS = Date.parse('2026-10-01T00:00:00Z');
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'IN'];

const [mode, file, usersArg, perDayArg] = process.argv.slice(2);
const users = Number(usersArg ?? 0);
const perDay = Number(perDayArg ?? 2);

/** The sign-ins of hour `h` after the start: user u's k-th of the day at hour (7u + 24k / perDay) mod 24. */
function signInsOf(h: number): SignIn[] {
  const out: SignIn[] = [];
  for (let u = 0; u < users; u++) {
    for (let k = 0; k < perDay; k++) {
      if ((u * 7 + Math.floor((k * 24) / perDay)) % 24 !== h % 24) continue;
      out.push({
        event_id: `${h}-${u}-${k}`.padEnd(64, '0'),
        user_id: `user-${u}`,
        event_time_ms: START_MS + h * HOUR_MS + MINUTE_MS * ((u + k) % 60),
        ip_address: `10.${(u >> 8) & 255}.${u & 255}.${k % 2}`,
        ip_country: COUNTRIES[u % COUNTRIES.length] ?? null,
        ip_asn: 1000 + (u % 50),
        // As an enriched lake's sign-ins: the profile keeps the release with each last place.
        geo_db_version: 'dbip-country@2.3.2026060120+asn@2.3.2026061719',
      });
    }
  }
  return out;
}

if (file === undefined || !(users > 0) || (mode !== 'build' && mode !== 'run')) {
  console.error('usage: login-profile-memory.ts build|run FILE USERS [PER_DAY]');
  process.exit(2);
}
const started = process.cpuUsage();
if (mode === 'build') {
  const profile = new LoginProfile('acme', 'UTC');
  let signIns = 0;
  for (let h = 0; h < 31 * 24; h++) {
    const hour = signInsOf(h);
    signIns += hour.length;
    profile.fold(START_MS + h * HOUR_MS, hour, 'abcdef0123456789');
  }
  const body = profile.encode();
  writeFileSync(file, body);
  console.log(
    JSON.stringify({ signIns, users: profile.users, facts: profile.size, storedBytes: body.byteLength }),
  );
} else {
  const profile = await LoginProfile.decode(readFileSync(file), 'acme', 'UTC');
  if (profile === undefined) throw new Error(`${file} is no login profile of instance acme in UTC`);
  const next = profile.foldedToMs;
  profile.fold(next, signInsOf((next - START_MS) / HOUR_MS), 'abcdef0123456789');
  profile.prune(next - 30 * 24 * HOUR_MS);
  const body = profile.encode();
  const cpu = process.cpuUsage(started);
  console.log(
    JSON.stringify({
      facts: profile.size,
      storedBytes: body.byteLength,
      cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(2),
      rssMb: process.memoryUsage().rss >> 20,
    }),
  );
}

import { AthenaClient } from '@aws-sdk/client-athena';
import { AthenaQueryEngine } from '../../../functions/adapters/athena-engine.ts';

/** A clock that only moves when the engine sleeps, so backoff and deadlines run instantly. */
export function fakeTime() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** An engine on the test's mocked Athena client, its time given by {@link fakeTime}. */
export const engineWith = (
  time = fakeTime(),
  extra: Partial<ConstructorParameters<typeof AthenaQueryEngine>[0]> = {},
) =>
  new AthenaQueryEngine({
    client: new AthenaClient({ region: 'eu-west-1' }),
    workGroup: 'domo-activity',
    database: 'domo_activity_lake',
    sleep: time.sleep,
    now: time.now,
    ...extra,
  });

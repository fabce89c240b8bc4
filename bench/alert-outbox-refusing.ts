/**
 * What a channel that keeps refusing costs the alerts checkpoint: `runs` runs 15 minutes apart, each
 * taking 20 new alerts in and having its delivery refused (SES sending paused), in memory. Prints
 * the checkpoint's size at the end; time it to compare versions of the code.
 *
 *   /usr/bin/time -f "user %U sys %S" node --import tsx bench/alert-outbox-refusing.ts [runs]
 *
 * 192 runs are two days; a week (672) did not finish in 300 s before the outbox was capped.
 */
import { DeliveryRefusedError } from '../functions/core/alerts/alert-channel.ts';
import { deliverChannel } from '../functions/core/alerts/deliver-alerts.ts';
import { alertsStateKey } from '../functions/core/lake/layout.ts';
import { MINUTE_MS } from '../functions/core/time-units.ts';
import { RecordingChannel } from '../test/core/alerts/support/alert-fixtures.ts';
import {
  addToOutbox,
  alertAt,
  deliveryContext,
  INSTANCE,
  NOW,
  storeChannel,
} from '../test/core/alerts/support/delivery-fixtures.ts';
import { MemoryObjectStore } from '../test/support/memory-store.ts';

const runs = Number(process.argv[2] ?? 192);
const store = new MemoryObjectStore();
storeChannel(store, 'email', {});
const channel = new RecordingChannel('email');
channel.fail = () => new DeliveryRefusedError('SendingPausedException');
let t = NOW;
for (let run = 0; run < runs; run += 1) {
  const alerts = Array.from({ length: 20 }, (_, i) => alertAt(`r${run}-${i}`, t - MINUTE_MS));
  await addToOutbox(store, 'email', alerts);
  await deliverChannel(deliveryContext(store, t), channel);
  t += 15 * MINUTE_MS;
}
const body = (await store.get(alertsStateKey(INSTANCE, 'checkpoint.json')))?.body;
console.log(`runs ${runs}: checkpoint ${body?.length} bytes`);

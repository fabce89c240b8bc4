import * as z from 'zod';
import { addressMistake, OWN_ADDRESS, type SeveralAdvice, YOUR_DOMAIN } from '../address-mistake.ts';
import { reservedDomainProblem } from '../reserved-mail-domain.ts';
import { notReserved } from './mail-addresses.ts';

/**
 * `alarms.email`: one address. Given as a list (as `alerts.email`, right beside it, is), the
 * refusal says so and how several are reached, rather than reading as a malformed address.
 */
export const alarmEmail = () =>
  z
    .email({
      error: (issue) => {
        if (!Array.isArray(issue.input)) {
          const several: SeveralAdvice = (first) =>
            `takes one address, not several: write "${first}". ${SEVERAL_ALARM_ADDRESSES}`;
          return (
            addressMistake(issue.input, several) ?? `must be an email address such as "audit@${YOUR_DOMAIN}"`
          );
        }
        return `takes one address, not a list: ${whatToWriteOf(issue.input)}`;
      },
    })
    .superRefine(notReserved(OWN_ADDRESS));

const SEVERAL_ALARM_ADDRESSES =
  'For several, give a distribution list\'s address, or subscribe more to the alarm topic after the deploy (aws sns subscribe --topic-arn <AlarmTopicArn> --protocol email --notification-endpoint <address>, confirmed as README "7. Alarms" says)';

/**
 * What to write instead of a list in `alarms.email`: its first address (one written as
 * `Name <address>` given bare, which is all the topic takes). An example is never offered as if
 * it were the user's own address, and an empty list (perhaps meant as "nobody") is pointed at the
 * opt-out.
 */
function whatToWriteOf(list: readonly unknown[]): string {
  const isEmail = (item: unknown): item is string => z.email().safeParse(item).success;
  // An address at a reserved domain offered here would be refused in turn (review R-CONFIG2 L2).
  const isOwn = (item: unknown): item is string =>
    isEmail(item) && reservedDomainProblem(item, OWN_ADDRESS) === undefined;
  const bare = list.find(isOwn);
  if (bare !== undefined) return `write "${bare}". ${SEVERAL_ALARM_ADDRESSES}`;
  const named = list.map(addressInsideName).find(isOwn);
  if (named !== undefined)
    return `write the address alone, "${named}", without the name. ${SEVERAL_ALARM_ADDRESSES}`;
  if (list.length === 0) {
    return `this one is empty. Write one address, such as "ops@${YOUR_DOMAIN}"; or, if the alarm topic is subscribed some other way (a pager, ChatOps), leave email out and set alarms.allowNoSubscriber to true`;
  }
  const reserved = [...list, ...list.map(addressInsideName)].find(isEmail);
  const problem = reserved === undefined ? undefined : reservedDomainProblem(reserved, OWN_ADDRESS);
  if (problem !== undefined) return `"${reserved}" ${problem}. ${SEVERAL_ALARM_ADDRESSES}`;
  return `write one address, such as "ops@${YOUR_DOMAIN}". ${SEVERAL_ALARM_ADDRESSES}`;
}

/** The address of a `Name <address>` entry; undefined for anything else. */
function addressInsideName(item: unknown): string | undefined {
  return typeof item === 'string' ? /<([^<>\s]+)>\s*$/.exec(item)?.[1] : undefined;
}

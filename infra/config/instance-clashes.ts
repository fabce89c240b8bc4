/**
 * Two instances of one stack reading the same Domo customer: the same `domoCustomer`, or the same
 * secret (so the same API client). A lake takes one instance per customer, so the second one's
 * runs are refused for good (review R-MSP2 H1): an entry copied at onboarding with only its name
 * changed deployed, and failed from its first run on. Synth refuses it instead, naming both.
 */
import type * as z from 'zod';
import type { ConfigFields } from './config-fields.ts';

type Instance = ConfigFields['instances'][number];

const FULL_ARN_SUFFIX = /-[A-Za-z0-9]{6}$/;

/**
 * The secret `instance` reads, as compared: a full ARN without the 6 characters Secrets Manager
 * adds (a partial ARN is refused elsewhere), a name as written, and the secret the stack creates
 * (`<stackName>/domo/<name>`) when it names none. A name and an ARN are never taken for one another:
 * the ARN may be of another account.
 */
const secretOf = (instance: Instance, stackName: string): string =>
  instance.secret === undefined
    ? `${stackName}/domo/${instance.name}`
    : instance.secret.startsWith('arn:')
      ? instance.secret.replace(FULL_ARN_SUFFIX, '')
      : instance.secret;

const ONE_CUSTOMER =
  'a lake holds each Domo customer in one instance only, so every run of this one would be refused, storing nothing';

/** The first instance before `index` for which `key` gives `value`. */
const earlierWith = (
  instances: readonly Instance[],
  index: number,
  key: (instance: Instance) => string | undefined,
  value: string,
): Instance | undefined => instances.slice(0, index).find((other) => key(other) === value);

/**
 * Refuses a `domoCustomer` (in any letter case) or a secret that an earlier instance has too. The
 * secret is not quoted: it may be a credential pasted there (infra/config/given-value.ts).
 */
export function checkInstanceClashes({ stackName, instances }: ConfigFields, ctx: z.RefinementCtx): void {
  const customer = (instance: Instance) => instance.domoCustomer?.toLowerCase();
  const secret = (instance: Instance) => secretOf(instance, stackName);
  instances.forEach((instance, index) => {
    const name = customer(instance);
    const sameCustomer = name === undefined ? undefined : earlierWith(instances, index, customer, name);
    if (sameCustomer !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['instances', index, 'domoCustomer'],
        message: `is "${sameCustomer.name}"'s Domo customer too: ${ONE_CUSTOMER}. Set the customer this instance's own API client is for`,
      });
    }
    const sameSecret = earlierWith(instances, index, secret, secret(instance));
    if (sameSecret === undefined) return;
    const whose =
      sameSecret.secret === undefined
        ? `the one the stack creates for "${sameSecret.name}"`
        : `"${sameSecret.name}"'s`;
    ctx.addIssue({
      code: 'custom',
      path: ['instances', index, 'secret'],
      message: `is the same secret as ${whose}, so the same Domo API client: ${ONE_CUSTOMER}. Name this instance's own secret, or leave "secret" out to have the stack create one`,
    });
  });
}

import { BACK_IN_THE_CONFIGURATION } from '../core/lake/customer-bound-elsewhere.ts';
import { CORRECT_EXPECTED_CUSTOMER, UNDER_ANOTHER_INSTANCE } from '../core/lake/instance-mismatch-error.ts';

/** `put the old name "main" back in the configuration`, the name captured. */
const OLD_NAME_BACK = new RegExp(`put the old name ("[^"]*") ${BACK_IN_THE_CONFIGURATION}`);

/**
 * A core refusal of the run's Domo customer, with the flags that fix it on the command line: the
 * core names the deployment's settings (an instance's expected customer, its name), which a
 * command-line user sets with `--domo-customer`, `--instance` and `--lake`, not in a configuration.
 * Any other message is returned as it is.
 */
export const withDomoCustomerFlags = (message: string): string =>
  message
    .replace(CORRECT_EXPECTED_CUSTOMER, 'correct --domo-customer')
    .replace(UNDER_ANOTHER_INSTANCE, 'under another --instance or into another --lake')
    .replace(OLD_NAME_BACK, 'give the old name $1 to --instance instead');

import type { AgedOut } from '../core/lake/aged-out.ts';
import { utcHourLabel } from './utc-hour-label.ts';

/**
 * What a check says of the hours the lake has aged out: left out, and by what. The bound comes
 * from a record in the lake, which its writers can edit: said on every check that used it.
 */
export const agedOutText = (agedOut: AgedOut): string =>
  `hours before ${utcHourLabel(agedOut.beforeMs)} not checked: aged out by policy, the lake expires them after retention.maxDays (${agedOut.maxDays} days, as its last scheduled run recorded)`;

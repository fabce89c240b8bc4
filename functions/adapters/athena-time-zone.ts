import { athenaTimeZone } from '../core/athena-zone-names.ts';
import type { QueryParams } from '../core/ports.ts';

/**
 * `params` with its `time_zone`, if any, spelled as Athena knows it (core/athena-zone-names.ts: a
 * name Athena does not know fails the whole query).
 */
export function withAthenaTimeZone(params: QueryParams): QueryParams {
  const zone = params.time_zone;
  if (zone === undefined || athenaTimeZone(zone) === zone) return params;
  return { ...params, time_zone: athenaTimeZone(zone) };
}

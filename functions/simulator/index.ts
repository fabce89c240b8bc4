/** The Domo API simulator and its synthetic instance generator: the public surface. */
export type { SimClient, TokenResponse } from './access-tokens.ts';
export type { DomoErrorBody } from './domo-error.ts';
export {
  CLEAN_ENTRIES,
  type EntryVariation,
  MALFORMED_KINDS,
  type MalformedKind,
  OPTIONAL_FIELDS,
} from './entry-variation.ts';
export {
  type FaultEndpoint,
  type FaultKind,
  type FaultOptions,
  NO_FAULTS,
  type RetryAfterStyle,
} from './fault-plan.ts';
export {
  type NetworkKind,
  networksIn,
  SIM_NETWORKS,
  type SimNetwork,
  ZONE_COUNTRIES,
} from './geo-networks.ts';
export {
  type GroundTruthEntry,
  groundTruthToNdjson,
  writeGroundTruthNdjson,
} from './ground-truth.ts';
export { networkOf } from './ip-networks.ts';
export {
  checkLateEvents,
  DEFAULT_LATE_DELAY,
  type LateEventOptions,
  lateEventsOf,
} from './late-events.ts';
export type { LeaverPattern, PlantedAction } from './leaver-pattern.ts';
export type {
  GeoFindingKind,
  ImpossibleTravelPattern,
  LockoutBurstPattern,
  NewCountryPattern,
  NewNetworkPattern,
  PasswordSprayPattern,
  PlantedPattern,
  ScatteredFailedLoginPattern,
  UnusualHourPattern,
} from './planted-patterns.ts';
export { plantingWeek } from './planted-patterns.ts';
export { Prng, type Seed } from './prng.ts';
export { type Simulator, type SimulatorOptions, type SimulatorStats, startSimulator } from './server.ts';
export { LOGIN_ACTIONS, type LoginAction, type SimEvent } from './sim-event.ts';
export {
  type GenerateOptions,
  generateInstance,
  type SimCard,
  type SimPage,
  type SimUser,
  type SyntheticInstance,
  type UserRole,
} from './synthetic-instance.ts';
export { formatDocString, renderTime, TIME_FORMATS, type TimeFormat } from './time-format.ts';

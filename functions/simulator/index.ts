/** The Domo API simulator and its synthetic instance generator: the public surface. */
export { type FaultKind, type FaultOptions, NO_FAULTS } from './fault-plan.ts';
export {
  type GroundTruthEntry,
  groundTruthToNdjson,
  writeGroundTruthNdjson,
} from './ground-truth.ts';
export { networkOf } from './ip-networks.ts';
export { lateEventsOf } from './late-events.ts';
export type { LeaverPattern } from './leaver-pattern.ts';
export {
  OUTAGE_ANSWERS,
  OUTAGE_LATEST_END_MS,
  type Outage,
  type OutageAnswer,
  playOutages,
} from './outage-schedule.ts';
export type {
  ImpossibleTravelPattern,
  LockoutBurstPattern,
  NewCountryPattern,
  NewNetworkPattern,
  PasswordSprayPattern,
  PlantedPattern,
  UnusualHourPattern,
} from './planted-patterns.ts';
export { plantingWeek } from './planted-patterns.ts';
export { Prng } from './prng.ts';
export { type Simulator, type SimulatorOptions, type SimulatorStats, startSimulator } from './server.ts';
export { LOGIN_ACTIONS, type SimEvent } from './sim-event.ts';
export type { SimUser } from './sim-user.ts';
export { generateInstance, type SyntheticInstance } from './synthetic-instance.ts';
export { TIME_FORMATS, type TimeFormat } from './time-format.ts';

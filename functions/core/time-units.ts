/**
 * Milliseconds in the units every layer counts time in, and the start of an instant's UTC hour.
 * In the core's root so that every folder, and every room that may import the core, uses these
 * instead of writing its own: they were defined ten times over, the lake's copy out of reach of
 * the root's zone code (review R-SHAPE3 M3, L5).
 */

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** The start of the UTC hour `ms` falls in (the lake stores an hour per object). */
export const floorHour = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;

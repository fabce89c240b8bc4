import type { AlertEvent } from './alert-event.ts';

/**
 * An alert's `country`: that of its key event as the geo data placed it, upper case as the alerts
 * show it; none when the event was not placed.
 */
export const countryOf = (event: Pick<AlertEvent, 'ip_country'>): { country?: string } =>
  event.ip_country ? { country: event.ip_country.toUpperCase() } : {};

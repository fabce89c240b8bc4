import type { AlertMessage } from '../../../functions/core/alerts/alert-channel.ts';

/** A message with no alert in it, for tests of how a channel sends rather than what it says. */
export const oneAlertMessage: AlertMessage = {
  instance: 'acme',
  subject: 'Alerts',
  text: 'one alert',
  html: '<p>one alert</p>',
  alerts: [],
};

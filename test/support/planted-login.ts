import { LOGIN_ACTIONS, type SimEvent } from '../../functions/simulator/index.ts';

/** A simulator sign-in `minute` minutes into the hour at `hourMs`, with `extra` fields in its entry. */
export const plantedLogin = (
  hourMs: number,
  minute: number,
  userId: string,
  extra: Record<string, unknown> = {},
): SimEvent => ({
  timeMs: hourMs + minute * 60_000,
  entry: {
    ...LOGIN_ACTIONS.login,
    time: hourMs + minute * 60_000,
    userId,
    userName: `User ${userId}`,
    userType: 'USER',
    objectType: 'USER',
    ...extra,
  },
  planted: true,
});

/**
 * One event of the simulated instance: when it happened and its Domo-shaped entry *without* `time`
 * (the server renders `time` in its configured format when it stores the event).
 */
export interface SimEvent {
  timeMs: number;
  entry: Record<string, unknown>;
  /**
   * Evidence of a planted suspicious pattern: always served clean (no omitted, nulled or malformed
   * fields, no twin), so messy-entry runs still contain every pattern the queries should find.
   */
  planted?: boolean;
}

/**
 * The exact `actionType` / `eventText` the simulator uses for login-type events. Domo does not document
 * its own strings (domo-api-notes §5.1); the ingest's category rules are configured with these.
 */
export const LOGIN_ACTIONS = {
  login: { actionType: 'LOGGED_IN', eventText: 'Logged in' },
  logout: { actionType: 'LOGGED_OUT', eventText: 'Logged out' },
  loginFailed: { actionType: 'LOGIN_FAILED', eventText: 'Failed login attempt' },
  lockout: { actionType: 'LOCKED_OUT', eventText: 'User locked out' },
} as const;

type LoginAction = keyof typeof LOGIN_ACTIONS;

export interface EntryUser {
  userId: string;
  userName: string;
}

/** Where an event came from: the same for every event of one sign-in session. */
export interface SessionInfo {
  device: string;
  browserDetails: string;
  ipAddress: string;
}

interface EntryFields {
  user: EntryUser;
  /** The proxying user, when an admin acted on the user's behalf. */
  actor?: EntryUser | null;
  actionType: string;
  eventText: string;
  objectType: string;
  objectId: string;
  objectName: string;
  additionalComment: string;
  session: SessionInfo;
}

/** A Domo-shaped entry with every documented field (domo-api-notes §2.1) except `time`. */
export function makeEntry(fields: EntryFields): Record<string, unknown> {
  const { user, actor, session } = fields;
  return {
    actionType: fields.actionType,
    actorId: actor ? Number(actor.userId) : 0,
    actorName: actor ? actor.userName : '',
    additionalComment: fields.additionalComment,
    browserDetails: session.browserDetails,
    device: session.device,
    eventText: fields.eventText,
    ipAddress: session.ipAddress,
    objectId: fields.objectId,
    objectName: fields.objectName,
    objectType: fields.objectType,
    userId: user.userId,
    userName: user.userName,
    userType: 'USER',
  };
}

const LOGIN_COMMENTS: Record<LoginAction, (name: string) => string> = {
  login: (name) => `${name} logged in.`,
  logout: (name) => `${name} logged out.`,
  loginFailed: (name) => `Failed login attempt for ${name}.`,
  lockout: (name) => `${name} was locked out after too many failed login attempts.`,
};

/** A login-type entry: the object is the user themself. */
export function makeLoginEntry(
  action: LoginAction,
  user: EntryUser,
  session: SessionInfo,
): Record<string, unknown> {
  return makeEntry({
    user,
    ...LOGIN_ACTIONS[action],
    objectType: 'USER',
    objectId: user.userId,
    objectName: user.userName,
    additionalComment: LOGIN_COMMENTS[action](user.userName),
    session,
  });
}

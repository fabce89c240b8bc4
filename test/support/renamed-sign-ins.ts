/** A sign-in at `minute` past `hourMs`, as Domo documents its entries. */
export const documentedSignIn = (hourMs: number, minute: number) => ({
  time: hourMs + minute * 60_000,
  actionType: 'LOGGEDIN',
  eventText: 'Logged in',
  objectType: 'USER',
  objectId: '11',
  userId: '11',
  userName: 'Ada',
});

/** The same sign-in as Domo would serve it the day it renamed `actionType` and `eventText`. */
export const renamedSignIn = (hourMs: number, minute: number) => {
  const { actionType, eventText, ...rest } = documentedSignIn(hourMs, minute);
  return { ...rest, action: actionType, description: eventText };
};

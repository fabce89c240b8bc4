/**
 * Who made a privileged change: the actor when one other than the user is named (an admin acting
 * as another user, Domo's `actorId`), else the user. The mail named the user alone, so an admin
 * acting as someone else was listed as them (review R-INSIDER H1). Shared by the weekly report and
 * the alerts (privileged-change-kind.ts), hence in the core's root.
 */

/** Who a privileged change names: the user it was done as, and who acted as them. */
export interface ChangePeople {
  userId: string | null;
  userName: string | null;
  actorId: string | null;
  actorName: string | null;
}

/**
 * An id naming nobody: empty, ASCII white space or `0` (Domo's "none" in `actorId`), as
 * data_movement.sql and the alerts read it (docs/decisions.md, "data_movement counts an event
 * under who did it").
 */
const NO_ID = /^[ \t\n\r\f]*0?[ \t\n\r\f]*$/;

/** Whether the id names someone ({@link NO_ID}). */
export const namesSomeone = (id: string | null): id is string => id !== null && !NO_ID.test(id);

/** Whether someone other than the user acted (as data_movement.sql tells it: ids compared exactly). */
export const actedAsAnother = (c: ChangePeople): boolean => namesSomeone(c.actorId) && c.actorId !== c.userId;

/** Who made the change: the actor acting as another, else the user. */
export const actorOf = (c: ChangePeople): { name: string | null; id: string | null } =>
  actedAsAnother(c) ? { name: c.actorName, id: c.actorId } : { name: c.userName, id: c.userId };

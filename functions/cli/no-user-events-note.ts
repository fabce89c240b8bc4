import type { QueryResult } from '../core/ports.ts';
import type { QueryDefinition } from '../core/queries/query-definition.ts';

/**
 * Said when user_activity finds nothing: a name or a mistyped id given as `user_id` matches no
 * event, and `0 rows` alone read as "this user did nothing in the period" (review R-QUERIES L6).
 * It names the three ways the query matches the id, the user as subject too (review F-SECOND3 M3).
 */
export function noUserEventsNote(
  query: Pick<QueryDefinition, 'name'>,
  params: Readonly<Record<string, string>>,
  result: Pick<QueryResult, 'rows'>,
): string | undefined {
  if (result.rows.length > 0) return undefined;
  if (query.name === 'bulk_data_movement') return noBulkMoverNote(params.doer_id);
  if (query.name === 'suspicious_logins') return noSuspiciousSignInNote(params.doer_id);
  if (query.name !== 'user_activity') return noDoerRowsNote(params.doer_id);
  // After an erasure a DPO runs it to see nothing is left: the name searched must be said too.
  const named = params.named ? `, and no entry holds named ${JSON.stringify(params.named)}` : '';
  return `note: no event of the period names user_id ${JSON.stringify(params.user_id ?? '')} as its user, its actor or the user it was done to (a USER object of that id)${named}; user_id is the number Domo gives a user, not a name: query most_active_users or login_history lists them with their names`;
}

/**
 * Said when data_movement or admin_changes given a doer_id list nothing: a name there matches no
 * event either, and `0 rows` read as "this user took nothing out, changed nothing".
 */
function noDoerRowsNote(doerId: string | undefined): string | undefined {
  if (doerId === undefined || doerId === '') return undefined;
  return `note: nothing the query counts was done by doer_id ${JSON.stringify(doerId)} in the period (as the user, or as the actor acting for another); doer_id is the number Domo gives a user, not a name: query most_active_users or login_history lists them with their names`;
}

/**
 * Said when bulk_data_movement given a doer_id lists nothing: it lists only users it judged to
 * move more than usual, so no row is not "this user moved nothing", and a name matches no one.
 */
function noBulkMoverNote(doerId: string | undefined): string | undefined {
  if (doerId === undefined || doerId === '') return undefined;
  return `note: bulk_data_movement does not list doer_id ${JSON.stringify(doerId)}: that user moved no data in the period (as the user, or as the actor acting for another), no more than their history says, or had no history to be judged by; query data_movement with the same doer_id lists their moves. doer_id is the number Domo gives a user, not a name: query most_active_users or login_history lists them with their names`;
}

/**
 * Said when suspicious_logins given a doer_id lists nothing: no row is "no sign-in judged
 * suspicious", not "no sign-in", and a name matches no one.
 */
function noSuspiciousSignInNote(doerId: string | undefined): string | undefined {
  if (doerId === undefined || doerId === '') return undefined;
  return `note: suspicious_logins finds no suspicious sign-in of doer_id ${JSON.stringify(doerId)} in the period: that user did not sign in, signed in only from places and at hours their history holds, or had too little history to be judged; query user_addresses with that user_id lists where they signed in from. doer_id is the number Domo gives a user, not a name: query most_active_users or login_history lists them with their names`;
}

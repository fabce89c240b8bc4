/**
 * The stack's Glue database and Athena workgroup, which a deployed message's queries name so they
 * run as pasted: Athena reads an unqualified `FROM activity_log` in whatever database the console
 * has chosen (`default` at first, where it fails), and the lake's workgroup holds the results
 * location and the bytes-scanned cutoff the queries are meant to run under.
 */
export interface AthenaCatalog {
  database: string;
  workGroup: string;
}

/** `table` of the catalog's database, quoted as the Athena console writes it: `"db"."table"`. */
export const athenaTable = (catalog: AthenaCatalog, table: string): string =>
  `"${catalog.database.replaceAll('"', '""')}"."${table}"`;

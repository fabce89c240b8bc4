/**
 * How to make the geo database loadable, in the command line's terms: the GEO_DB_PATH the command
 * saw points at no readable database, or (unset) the database built from the installed
 * @ip-location-db packages is missing. Not the deployed function's fix (a redeploy): the command
 * runs from a checkout or an installed package.
 */
export function geoLoadFix(geoDbPath: string | undefined): string {
  return geoDbPath
    ? `point GEO_DB_PATH (now ${geoDbPath}) at a readable geo database, or unset it to use the one built from the @ip-location-db packages`
    : 'run npm ci in the project directory (it reinstalls the @ip-location-db packages and rebuilds the geo database)';
}

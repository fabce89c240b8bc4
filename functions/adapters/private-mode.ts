/**
 * The modes the command line creates files and folders holding rows or events with (the local
 * lake, query output, report and alert files): the owner's only, as ssh and the AWS CLI keep their
 * credentials. Under the usual umask (022) they came out world-readable, so every account on a
 * shared host could read everyone's Domo activity (review R-PRIVACY L7). The umask still applies
 * on top, so a stricter one stays stricter. An existing folder keeps its mode; a file rewritten
 * (a new one renamed over it) gets these (docs/privacy.md: no group-shared local lake).
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

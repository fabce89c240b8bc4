/** A paragraph below the alerts, and the query or command line it ends with, to be copied whole. */
export interface Note {
  text: string;
  /** The HTML part's paragraph, when it is more than `text` escaped (the geo credit's links). */
  html?: string;
  copy?: string;
}

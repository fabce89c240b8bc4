/** The formats query writes its rows in: a table for a reader, JSON or CSV for a machine. */

const FORMATS = ['table', 'json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export function parseFormat(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value))
    throw new Error(`must be one of ${FORMATS.join(', ')}`);
  return value as Format;
}

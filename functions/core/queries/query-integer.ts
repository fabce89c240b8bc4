/**
 * A whole number from an engine as the value a row holds: a JS number while every digit fits one
 * (|n| ≤ 2^53 - 1), so counts stay numbers for the report, the alerts and the tests; a bigint
 * beyond, where a number would round (`12345678901234567` read as `…568`) and the output would
 * print a figure the lake does not hold.
 */
export function queryInteger(value: bigint): number | bigint {
  const small = value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER);
  return small ? Number(value) : value;
}

/** An engine's text for a whole number (Athena's `"-42"`), read as {@link queryInteger} does. */
export function queryIntegerText(text: string): number | bigint {
  const trimmed = text.trim();
  // Only digits reach BigInt (which throws on anything else); other text keeps Number's reading.
  return /^[+-]?\d+$/.test(trimmed) ? queryInteger(BigInt(trimmed)) : Number(trimmed);
}

/**
 * Defers building a value until something first asks for it, then hands out that same value.
 * For module-level objects that are costly to build (an `Intl` formatter loads ICU data, a zod
 * schema allocates dozens of closures): a Lambda bundle imports every module its handler reaches,
 * and work done at import is paid on every cold start, also by invocations that never use it.
 */
export function once<T>(build: () => T): () => T {
  let built = false;
  let value: T;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value;
  };
}

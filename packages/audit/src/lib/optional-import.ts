import { AuditError } from "../errors.js";

/**
 * Loads an optional peer dependency on demand, turning "not installed" into a
 * usage error (exit 2) that says what to install. A failure inside the
 * package (one of its own dependencies missing) is rethrown as it is.
 *
 * @param specifier - the package the loader imports, as the error names it
 * @param load - `() => import("<specifier>")` (a literal, so its types are checked)
 * @param hint - what the user needs and how to install it
 * @throws AuditError `ERR_USAGE` when `specifier` is not installed
 */
export async function importOptional<T>(specifier: string, load: () => Promise<T>, hint: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isMissing(error, specifier)) throw error;
    throw new AuditError("ERR_USAGE", hint, { cause: error });
  }
}

/** Whether `error` says that `specifier` itself (not one of its own dependencies) cannot be found. */
function isMissing(error: unknown, specifier: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
    typeof message === "string" &&
    (message.includes(`'${specifier}'`) || message.includes(`"${specifier}"`))
  );
}

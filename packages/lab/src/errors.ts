/** A command-line mistake: printed without a stack trace, exit code 2. */
export class LabUsageError extends Error {
  override readonly name = "LabUsageError";
}

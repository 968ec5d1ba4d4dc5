/**
 * Errors a person must fix (a bad definition, selection, argument or setting). The CLI prints the
 * message as one line and exits with code 2; the API answers 400.
 */
export class UserError extends Error {
  override name = 'UserError';
}

export class DefinitionError extends UserError {
  override name = 'DefinitionError';
}

export class SelectionError extends UserError {
  override name = 'SelectionError';
}

export class ConfigError extends UserError {
  override name = 'ConfigError';
}

/** Thrown by asset code (or recognised by the executor) for failures worth retrying. */
export class TransientError extends Error {
  override name = 'TransientError';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

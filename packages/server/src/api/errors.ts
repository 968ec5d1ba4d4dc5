/** Errors a route throws for the app's error handler to answer with their status code. */

/** 404: the asset or run asked for does not exist. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** 409: the request contradicts the resource's state (e.g. cancelling a run not running here). */
export class ConflictError extends Error {
  override name = 'ConflictError';
}

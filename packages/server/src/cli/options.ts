import { type PlanRequest, UserError, validateRange } from '@vitrina/core';

export interface RangeOptions {
  partition?: string;
  from?: string;
  to?: string;
  force?: boolean;
}

/** Turns `--partition D | --from D --to D [--force]` into a plan request, refusing contradictions. */
export function planRequest(selection: string, options: RangeOptions): PlanRequest {
  if (options.partition && (options.from || options.to)) {
    throw new UserError('give either --partition or --from/--to, not both');
  }
  const request: PlanRequest = {
    selection,
    from: options.partition ?? options.from,
    to: options.partition ?? options.to,
    force: options.force ?? false,
  };
  validateRange(request);
  return request;
}

/** Which days of the daily assets a command takes. */
export interface DayOptions {
  partition?: string;
  from?: string;
  to?: string;
}

export interface RangeOptions extends DayOptions {
  force?: boolean;
}

export interface RangeOptions {
  partition?: string;
  from?: string;
  to?: string;
  force?: boolean;
}

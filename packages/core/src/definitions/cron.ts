import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

/** A five-field cron expression that cron-parser accepts. */
export const cronSchema = z.string().refine((expression) => {
  try {
    CronExpressionParser.parse(expression);
    return expression.trim().split(/\s+/).length === 5;
  } catch {
    return false;
  }
}, 'expected a five-field cron expression such as "30 0 * * *"');

/** The latest tick of `cron` in `timezone` at or before `now`. */
export function previousTick(cron: string, timezone: string, now: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1), tz: timezone })
    .prev()
    .toDate();
}

/** The first tick of `cron` in `timezone` after `now`. */
export function nextTick(cron: string, timezone: string, now: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: now, tz: timezone }).next().toDate();
}

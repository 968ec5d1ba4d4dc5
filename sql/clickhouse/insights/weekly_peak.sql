-- The daily and weekly rhythm of individuals' payments (successful B2C): payments per day in each
-- hour (a weekday's days counted by the days of that weekday in the marts), the peak hour against the
-- mean hour, the evening (17–20 h) share of a day's payments, and a weekend day against a weekday.
SELECT
  min(first_day) AS period_from,
  max(last_day) AS period_to,
  argMax(hour, per_day) AS peak_hour,
  max(per_day) AS peak_payments,
  avg(per_day) AS mean_payments,
  max(per_day) / avg(per_day) AS peak_ratio,
  sumIf(per_day, hour >= 17 AND hour < 20) / sum(per_day) AS evening_share,
  (sum(weekend_payments) / max(weekend_days)) / (sum(weekday_payments) / max(weekday_days)) AS weekend_ratio,
  sum(weekend_payments) + sum(weekday_payments) AS payments,
  least(max(weekend_days) / 2, max(weekday_days) / 5) AS weeks
FROM (
  SELECT
    hour,
    min(first_day) AS first_day,
    max(last_day) AS last_day,
    sum(cell_payments) / sum(days) AS per_day,
    sumIf(cell_payments, day_of_week >= 6) AS weekend_payments,
    sumIf(cell_payments, day_of_week < 6) AS weekday_payments,
    sumIf(days, day_of_week >= 6) AS weekend_days,
    sumIf(days, day_of_week < 6) AS weekday_days
  FROM (
    SELECT day_of_week, hour, min(day) AS first_day, max(day) AS last_day, count() AS cell_payments
    FROM payments
    WHERE is_success = 1 AND direction = 'B2C'
    GROUP BY day_of_week, hour
  ) AS t1
  ANY LEFT JOIN (
    SELECT day_of_week, uniqExact(day) AS days FROM payments GROUP BY day_of_week
  ) AS t2 USING day_of_week
  GROUP BY hour
) AS t3

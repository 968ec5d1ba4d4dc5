-- The weekly rhythm of individuals' payments: successful B2C payments per hour of the week (each
-- weekday and hour averaged over the days of that weekday in the marts), its peak, and the evening
-- (17–20 h) share of a day's payments.
SELECT
  min(first_day) AS period_from,
  max(last_day) AS period_to,
  argMax(day_of_week, per_day) AS peak_day_of_week,
  argMax(hour, per_day) AS peak_hour,
  max(per_day) AS peak_payments,
  avg(per_day) AS mean_payments,
  max(per_day) / avg(per_day) AS peak_ratio,
  sumIf(per_day, hour >= 17 AND hour < 20) / sum(per_day) AS evening_share,
  sumIf(per_day, day_of_week >= 6) / 2 / (sumIf(per_day, day_of_week < 6) / 5) AS weekend_ratio,
  sum(payments) AS payments,
  min(days) AS weeks
FROM (
  SELECT day_of_week, hour, min(first_day) AS first_day, max(last_day) AS last_day,
    sum(payments) AS payments, sum(payments) / any(days) AS per_day, any(days) AS days
  FROM (
    SELECT day_of_week, hour, min(day) AS first_day, max(day) AS last_day, count() AS payments
    FROM payments
    WHERE is_success = 1 AND direction = 'B2C'
    GROUP BY day_of_week, hour
  )
  ANY LEFT JOIN (
    SELECT day_of_week, uniqExact(day) AS days FROM payments GROUP BY day_of_week
  ) USING day_of_week
  GROUP BY day_of_week, hour
)

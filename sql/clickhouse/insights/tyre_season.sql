-- The tyre seasons (winter tyres go on from mid-October, summer ones from mid-March): individuals'
-- successful payments a day in the auto vertical from 15 October to 30 November and from 15 March
-- to 30 April against the other days of the marts.
SELECT
  min(day) AS period_from,
  max(day) AS period_to,
  countIf(in_season = 1) AS season_days,
  countIf(in_season = 0) AS other_days,
  avgIf(payments, in_season = 1) AS season_payments,
  avgIf(payments, in_season = 0) AS other_payments,
  avgIf(payments, in_season = 1) / avgIf(payments, in_season = 0) AS season_ratio,
  avgIf(turnover, in_season = 1) / avgIf(turnover, in_season = 0) AS turnover_ratio
FROM (
  SELECT day, sumIf(successful, vertical = 'auto') AS payments,
    sumIf(toFloat64(turnover_byn), vertical = 'auto') AS turnover,
    (toMonth(day) * 100 + toDayOfMonth(day) BETWEEN 1015 AND 1130)
      OR (toMonth(day) * 100 + toDayOfMonth(day) BETWEEN 315 AND 430) AS in_season
  FROM overview_daily
  WHERE direction = 'B2C'
  GROUP BY day
) AS t1

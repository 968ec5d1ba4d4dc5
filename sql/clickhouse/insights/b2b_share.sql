-- Business accounts' weight: the share of B2B (payments an entrepreneur or a legal entity makes
-- through its business account) in successful payments, turnover and commission.
SELECT
  min(day) AS period_from,
  max(day) AS period_to,
  sumIf(successful, direction = 'B2B') / sum(successful) AS payment_share,
  sumIf(toFloat64(turnover_byn), direction = 'B2B') / sum(toFloat64(turnover_byn)) AS turnover_share,
  sumIf(toFloat64(commission_byn), direction = 'B2B') / sum(toFloat64(commission_byn)) AS commission_share,
  sumIf(toFloat64(turnover_byn), direction = 'B2B') / sumIf(successful, direction = 'B2B')
    / (sumIf(toFloat64(turnover_byn), direction = 'B2C') / sumIf(successful, direction = 'B2C')) AS check_ratio,
  sum(successful) AS payments
FROM overview_daily

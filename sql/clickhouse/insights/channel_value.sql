-- Value and cost by acquisition channel. Users: those who registered from the first day of payments
-- the marts hold (so each has their whole history) to 28 days before the newest day (so each has had
-- four weeks). Value: the commission they brought so far per registered user. Cost (paid channels):
-- the spend over the same registration days per registration. Channels with 100 users or more.
SELECT
  min(users_from) AS period_from,
  max(users_to) AS period_to,
  argMaxIf(channel, value, users >= 100) AS best_channel,
  maxIf(value, users >= 100) AS best_value_byn,
  argMinIf(channel, value, users >= 100) AS worst_channel,
  minIf(value, users >= 100) AS worst_value_byn,
  maxIf(value, users >= 100) / minIf(value, users >= 100) AS value_ratio,
  argMaxIf(channel, value / cac, users >= 100 AND cac > 0) AS best_paid_channel,
  maxIf(value / cac, users >= 100 AND cac > 0) AS best_value_per_cac,
  argMaxIf(cac, value / cac, users >= 100 AND cac > 0) AS best_paid_cac_byn,
  argMinIf(channel, value / cac, users >= 100 AND cac > 0) AS worst_paid_channel,
  minIf(value / cac, users >= 100 AND cac > 0) AS worst_value_per_cac,
  argMinIf(cac, value / cac, users >= 100 AND cac > 0) AS worst_paid_cac_byn,
  countIf(users >= 100) AS channels_compared,
  countIf(users >= 100 AND cac > 0) AS paid_channels_compared
FROM (
  SELECT
    channel,
    c_from AS users_from,
    c_to AS users_to,
    c_users AS users,
    c_commission / c_users AS value,
    if(c_registrations > 0, c_spend / c_registrations, 0) AS cac
  FROM (
    SELECT
      acq_channel AS channel,
      min(registration_date) AS c_from,
      max(registration_date) AS c_to,
      count() AS c_users,
      sum(toFloat64(commission_byn)) AS c_commission
    FROM users
    WHERE registration_date >= (SELECT min(first_payment_date) FROM users)
      AND registration_date <= (SELECT max(as_of) FROM users) - 28
    GROUP BY acq_channel
  ) AS t1
  ANY LEFT JOIN (
    SELECT channel, sum(toFloat64(spend_byn)) AS c_spend, sum(registrations) AS c_registrations
    FROM marketing_daily
    WHERE is_paid = 1
      AND day >= (SELECT min(first_payment_date) FROM users)
      AND day <= (SELECT max(as_of) FROM users) - 28
    GROUP BY channel
  ) AS t2 USING channel
) AS t3

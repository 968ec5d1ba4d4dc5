-- The funnel's weakest step: of the users who registered at least 7 days before the newest day of the
-- funnel (time to link a card and pay), the share passing each step, overall and by acquisition
-- channel; the channels compared are those with 100 registrations or more.
SELECT
  min(first_day) AS period_from,
  max(last_day) AS period_to,
  sum(installs) AS installs,
  sum(registrations) AS registrations,
  sum(card_linked) AS card_linked,
  sum(first_payment) AS first_payment,
  sum(repeat_payment) AS repeat_payment,
  sum(registrations) / sum(installs) AS registration_rate,
  sum(card_linked) / sum(registrations) AS card_rate,
  sum(first_payment) / sum(card_linked) AS payment_rate,
  sum(repeat_payment) / sum(first_payment) AS repeat_rate,
  argMinIf(acq_channel, card_linked / registrations, registrations >= 100) AS worst_channel,
  minIf(card_linked / registrations, registrations >= 100) AS worst_card_rate,
  argMaxIf(acq_channel, card_linked / registrations, registrations >= 100) AS best_channel,
  maxIf(card_linked / registrations, registrations >= 100) AS best_card_rate,
  countIf(registrations >= 100) AS channels_compared
FROM (
  SELECT
    acq_channel,
    min(day) AS first_day,
    max(day) AS last_day,
    sum(installs) AS installs,
    sum(registrations) AS registrations,
    sum(card_linked) AS card_linked,
    sum(first_payment) AS first_payment,
    sum(repeat_payment) AS repeat_payment
  FROM funnel
  WHERE day <= (SELECT max(day) FROM funnel) - 7
  GROUP BY acq_channel
)

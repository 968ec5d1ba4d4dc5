-- The funnel's weakest step: of the users who registered at least 7 days before the newest day of the
-- funnel (time to link a card and pay), the share passing each step, overall and by acquisition
-- channel; the channels compared are those with 100 registrations or more.
SELECT
  min(first_day) AS period_from,
  max(last_day) AS period_to,
  sum(channel_installs) AS installs,
  sum(channel_registrations) AS registrations,
  sum(channel_card_linked) AS card_linked,
  sum(channel_first_payment) AS first_payment,
  sum(channel_repeat_payment) AS repeat_payment,
  sum(channel_registrations) / sum(channel_installs) AS registration_rate,
  sum(channel_card_linked) / sum(channel_registrations) AS card_rate,
  sum(channel_first_payment) / sum(channel_card_linked) AS payment_rate,
  sum(channel_repeat_payment) / sum(channel_first_payment) AS repeat_rate,
  argMinIf(acq_channel, channel_card_linked / channel_registrations, channel_registrations >= 100) AS worst_channel,
  minIf(channel_card_linked / channel_registrations, channel_registrations >= 100) AS worst_card_rate,
  argMaxIf(acq_channel, channel_card_linked / channel_registrations, channel_registrations >= 100) AS best_channel,
  maxIf(channel_card_linked / channel_registrations, channel_registrations >= 100) AS best_card_rate,
  countIf(channel_registrations >= 100) AS channels_compared
FROM (
  SELECT
    acq_channel,
    min(day) AS first_day,
    max(day) AS last_day,
    sum(installs) AS channel_installs,
    sum(registrations) AS channel_registrations,
    sum(card_linked) AS channel_card_linked,
    sum(first_payment) AS channel_first_payment,
    sum(repeat_payment) AS channel_repeat_payment
  FROM funnel
  WHERE day <= (SELECT max(day) FROM funnel) - 7
  GROUP BY acq_channel
) AS t1

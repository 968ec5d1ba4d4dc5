-- Early behaviour and churn: of the clients who registered from the first day of payments the marts
-- hold to 35 days before the newest day and paid at least once, the share churned (no payment in the
-- last 30 days) among those who linked a card within 3 days of registering and among the rest.
SELECT
  min(registration_date) AS period_from,
  max(registration_date) AS period_to,
  countIf(card_linked_within_3d = 1) AS early_users,
  countIf(card_linked_within_3d = 0) AS late_users,
  avgIf(churned, card_linked_within_3d = 1) AS early_churn,
  avgIf(churned, card_linked_within_3d = 0) AS late_churn,
  avgIf(churned, card_linked_within_3d = 0) / avgIf(churned, card_linked_within_3d = 1) AS churn_ratio,
  max(as_of) AS as_of
FROM users
WHERE payments > 0
  AND registration_date >= (SELECT min(first_payment_date) FROM users)
  AND registration_date <= (SELECT max(as_of) FROM users) - 35

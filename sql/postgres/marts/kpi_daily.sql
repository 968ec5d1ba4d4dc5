-- mart.kpi_daily for day $1: bi.kpi_daily as it is.
select day, dau, wau, mau, stickiness, transactions, turnover_byn, revenue_byn, cashback_byn,
  avg_check_byn, paying_users, arpu_byn, arppu_byn, churned_users, churn_base_users, churn_rate,
  b2b_transactions, b2b_turnover_byn, b2b_revenue_byn
from bi.kpi_daily
where day = $1

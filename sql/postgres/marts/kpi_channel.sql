-- mart.kpi_channel: bi.kpi_channel as it is.
select channel, cohort_month, registered_users, paying_users, spend_byn, revenue_byn, cac_byn, ltv_byn, romi
from bi.kpi_channel

/*
model:
  kind: table
  description: Revenue per category over every day sold so far.
  columns:
    category:
      checks: [unique, not_null, { accepted_values: [coffee, tea, accessories, equipment] }]
    revenue: { description: "Units times shelf price, in euros." }
*/
select p.category, sum(s.units)::int as units, sum(s.units * s.price)::numeric(12,2) as revenue
from staging.daily_sales s
join seeds.products p using (product_id)
group by p.category

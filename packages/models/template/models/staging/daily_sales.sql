/*
model:
  kind: daily
  time_column: day
  description: Units sold per product and day (made up from the day and the product, the same on every run).
  columns:
    day: { checks: [not_null] }
    product_id:
      checks: [not_null, { relationships: { to: seeds.products, field: product_id } }]
    units: { description: Units sold that day. }
  checks:
    - unique: [day, product_id]
    - sql: select * from {{ this }} where units < 0
      name: no_negative_units
*/
select d.day::date as day, p.product_id,
       (abs(hashtext(d.day::text || p.product_id)) % 20)::int as units,
       p.price
from generate_series({{ start }}::timestamp, {{ end }}::timestamp, interval '1 day') as d(day)
cross join seeds.products p

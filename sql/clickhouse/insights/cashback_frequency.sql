-- What a grocery chain's own cashback campaign changes. A chain's campaign: a campaign id whose
-- cashback was paid at that chain only; its days: the days that id was paid. Days of a campaign paid
-- at three chains or more (a campaign of the whole vertical) are left out on both sides. A chain's
-- customers: the users who made most of their successful grocery payments at it (of chains with as
-- many, the greatest name: a plain argMax takes the first to arrive, which nothing fixes). For each
-- chain with a campaign: its customers' payments at it per customer and day during the campaign and
-- outside it (frequency), and its share of all grocery payments during and outside (share).
SELECT
  chain,
  min(day) AS period_from,
  max(day) AS period_to,
  any(chain_customers) AS customers,
  uniqExactIf(day, on_campaign = 1) AS campaign_days,
  uniqExactIf(day, on_campaign = 0) AS other_days,
  sumIf(own_trips, on_campaign = 1) / any(chain_customers) / uniqExactIf(day, on_campaign = 1) AS frequency_during,
  sumIf(own_trips, on_campaign = 0) / any(chain_customers) / uniqExactIf(day, on_campaign = 0) AS frequency_outside,
  frequency_during / frequency_outside - 1 AS frequency_lift,
  sumIf(chain_trips, on_campaign = 1) / sumIf(grocery_trips, on_campaign = 1) AS share_during,
  sumIf(chain_trips, on_campaign = 0) / sumIf(grocery_trips, on_campaign = 0) AS share_outside,
  share_during - share_outside AS share_change
FROM (
  SELECT chain, day, own_trips, chain_trips, grocery_trips, chain_customers,
    has(campaign_days, day) AS on_campaign
  FROM (
    SELECT chain, day, own_trips, chain_trips, grocery_trips, campaign_days
    FROM (
      SELECT chain, day, own_trips, chain_trips, grocery_trips
      FROM (
        SELECT chain, day, countIf(favourite = chain) AS own_trips, count() AS chain_trips
        FROM (
          SELECT user_id, chain, day FROM payments
          WHERE vertical = 'grocery' AND direction = 'B2C' AND is_success = 1 AND chain != ''
        ) AS t1
        ANY LEFT JOIN (
          SELECT user_id, argMax(chain, (trips, chain)) AS favourite
          FROM (
            SELECT user_id, chain, count() AS trips FROM payments
            WHERE vertical = 'grocery' AND direction = 'B2C' AND is_success = 1
            GROUP BY user_id, chain
          ) AS t2
          GROUP BY user_id
        ) AS t3 USING user_id
        GROUP BY chain, day
      ) AS t4
      ANY LEFT JOIN (
        SELECT day, count() AS grocery_trips FROM payments
        WHERE vertical = 'grocery' AND direction = 'B2C' AND is_success = 1
        GROUP BY day
      ) AS t5 USING day
    ) AS t6
    ALL INNER JOIN (
      SELECT chain, groupUniqArray(day) AS campaign_days
      FROM payments
      WHERE vertical = 'grocery' AND cashback_campaign_id IN (
        SELECT cashback_campaign_id FROM payments
        WHERE vertical = 'grocery' AND isNotNull(cashback_campaign_id)
        GROUP BY cashback_campaign_id HAVING uniqExact(chain) = 1 AND any(chain) != ''
      )
      GROUP BY chain
    ) AS t7 USING chain
  ) AS t8
  ANY LEFT JOIN (
    SELECT chain, count() AS chain_customers
    FROM (
      SELECT user_id, argMax(chain, (trips, chain)) AS chain
      FROM (
        SELECT user_id, chain, count() AS trips FROM payments
        WHERE vertical = 'grocery' AND direction = 'B2C' AND is_success = 1
        GROUP BY user_id, chain
      ) AS t9
      GROUP BY user_id
    ) AS t10
    GROUP BY chain
  ) AS t11 USING chain
  WHERE day NOT IN (
    SELECT DISTINCT day FROM payments
    WHERE vertical = 'grocery' AND cashback_campaign_id IN (
      SELECT cashback_campaign_id FROM payments
      WHERE vertical = 'grocery' AND isNotNull(cashback_campaign_id)
      GROUP BY cashback_campaign_id HAVING uniqExact(chain) >= 3
    )
  )
) AS t12
GROUP BY chain
ORDER BY frequency_lift DESC

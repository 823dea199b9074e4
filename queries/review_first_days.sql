-- Question: from which day does each table hold data? Before it, a day's 0
-- means "no data yet", not "nothing happened", so the anomaly check leaves
-- those days out of its reference weeks.
-- Grain: one row. Parameters: none.
-- METRICS.md: Sales (paid lines), Traffic, Advertising.
select
    (select min(order_date) from order_days) as orders_first_date,
    (select min(date) from traffic_days) as traffic_first_date,
    (select min(date) from ad_days) as ad_spend_first_date

-- Question: which dates does the data cover? The default period ends at the
-- latest date in the data, not today.
-- Grain: one row. Parameters: none.
select
    coalesce(
        (select min(order_date) from order_lines),
        (select min(date) from traffic_days),
        (select min(date) from ad_days)
    ) as first_date,
    coalesce(
        (select max(order_date) from order_lines),
        (select max(date) from traffic_days),
        (select max(date) from ad_days)
    ) as last_date

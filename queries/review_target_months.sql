-- Question: does targets.csv hold any target at all (a review section says
-- which file is missing, rather than that one month has none)?
-- Grain: one row per month with a target, newest first.
-- Parameters: none.
select
    month,
    count(*) as metrics
from targets
group by month
order by month desc

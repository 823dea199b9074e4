-- Question: which members have a birthday in the next $days days (for a
-- birthday perk)?
-- Grain: one row per member with a birthday on D + 1 … D + $days.
-- Parameters: $as_of (date, D); $days (int).
-- DATA.md members.birthday. A 29 February birthday falls on 28 February in
-- other years. age: the age the member turns.
with dated as (
    select
        customer_id,
        birthday,
        tier,
        lifecycle,
        points_balance,
        [year(cast($as_of as date)), year(cast($as_of as date)) + 1] as years
    from member_state($as_of)
    where birthday is not null
        -- a birthday falls in its own month every year (29 February on the
        -- 28th): keep the months D + 1 … D + $days touch before unnesting
        and (month(birthday) - month(cast($as_of as date) + 1) + 12) % 12
        <= date_diff('month', cast($as_of as date) + 1, cast($as_of as date) + cast($days as integer))
),

occurrences as (
    select
        customer_id,
        birthday,
        tier,
        lifecycle,
        points_balance,
        make_date(
            y,
            month(birthday),
            least(day(birthday), day(last_day(make_date(y, month(birthday), 1))))
        ) as next_birthday
    from dated, unnest(years) as u(y)
)

select
    customer_id,
    next_birthday,
    date_diff('day', cast($as_of as date), next_birthday) as days_until,
    year(next_birthday) - year(birthday) as age,
    birthday,
    tier,
    lifecycle,
    points_balance
from occurrences
where next_birthday > cast($as_of as date)
    and next_birthday <= cast($as_of as date) + cast($days as integer)
order by next_birthday, customer_id

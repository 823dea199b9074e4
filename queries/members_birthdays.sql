-- Question: which members have a birthday in the next $days days (for a
-- birthday perk)?
-- Grain: one row per member with a birthday on D + 1 … D + $days.
-- Parameters: $as_of (date, D); $days (int).
-- DATA.md members.birthday. A 29 February birthday falls on 28 February in
-- other years. age: the age the member turns.
with dated as (
    select
        customer_key,
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
        customer_key,
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

-- customer_id is read for the members listed only (reading that text column
-- for every member would cost more than the rest)
select
    p.customer_id,
    o.next_birthday,
    date_diff('day', cast($as_of as date), o.next_birthday) as days_until,
    year(o.next_birthday) - year(o.birthday) as age,
    o.birthday,
    o.tier,
    o.lifecycle,
    o.points_balance
from occurrences as o
inner join customer_profile as p
    on p.customer_key = o.customer_key
where o.next_birthday > cast($as_of as date)
    and o.next_birthday <= cast($as_of as date) + cast($days as integer)
order by o.next_birthday, p.customer_id

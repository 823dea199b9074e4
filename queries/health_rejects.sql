-- Question: which rows were quarantined, and why?
-- Grain: one row per rejected cell (a row failing two checks appears twice).
-- Parameters: none.
select
    file,
    table_name,
    line,
    column_name,
    value,
    reason
from rejects
order by file, line, column_name

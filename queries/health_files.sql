-- Question: which files were seen, and what happened to each?
-- Grain: one row per file in data/. Parameters: none.
select
    file,
    table_name,
    profile,
    status,
    message,
    encoding,
    rows_loaded,
    rows_rejected,
    duplicate_rows,
    rows_replaced,
    min_date,
    max_date,
    modified_at,
    size_bytes,
    array_to_string(columns_ignored, ', ') as columns_ignored,
    array_to_string(notes, '; ') as notes
from files
order by status = 'loaded', table_name, file

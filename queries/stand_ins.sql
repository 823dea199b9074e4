-- Question: which contract columns of a table stand in for something the platform export does not provide?
-- Grain: one row per (file, stand-in). Parameters: $table (contract table name).
-- Used by: every page, under its title, for the table it needs (storeops.ui.page_start).
select file, unnest(stand_ins) as note
from files
where table_name = $table
  and (status = 'loaded' or stale_part)
  and len(stand_ins) > 0
order by file

-- Question: which optional columns do the user's traffic files carry?
-- Grain: one row; has_<column> is false when every traffic row has NULL for
--   it (ingest stores an absent optional column as NULL), decided over the
--   whole traffic table (see traffic_columns in _model.sql).
-- Parameters: none.
-- METRICS.md: Traffic and funnel ("steps whose column is absent are left out").
select * from traffic_columns

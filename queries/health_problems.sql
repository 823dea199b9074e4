-- Question: what is wrong with settings.toml, channel_map.csv or targets.csv?
-- Grain: one row per problem. Parameters: none.
select message from problems

-- Nothing here: H2's V18 reorders its unique key of runs (see there). This server keeps
-- uq_runs_key_attempt; version numbers stay aligned across the three databases.
SELECT 1;

-- Nothing here: H2's V17 replaces two of its run indexes (see there). This server keeps
-- uq_runs_key_attempt, ix_runs_schedule_scheduled and ix_runs_schedule_status; version numbers
-- stay aligned across the three databases.
SELECT 1;

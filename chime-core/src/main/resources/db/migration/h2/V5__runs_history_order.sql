-- Index tuning beside PostgreSQL's runs partitioned by day (its V5), so versions stay aligned.
-- A schedule's history in the API's order (newest instant, then attempt, then id): a page is read
-- from the index without sorting all the schedule's runs; the per-schedule trim walks it the other
-- way.
DROP INDEX ix_runs_schedule_scheduled;
CREATE INDEX ix_runs_schedule_scheduled ON runs (schedule_id, scheduled_at, attempt, id);

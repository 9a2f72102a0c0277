-- Every fire inserts a run row and updates it once with its result; on PostgreSQL that update is
-- never heap-only (it changes the status and finished_at), so it adds an entry to every index of
-- runs again. Two costs of that path go here:
--
-- * fk_runs_tenant checked each inserted run's tenant with a locking read of the tenants row. A
--   run's tenant is its schedule's (the engine writes it from the schedule row), fk_runs_schedule
--   already ties the run to that schedule, and a tenant can only be deleted once it has no
--   schedules, whose runs go with them; so the check added nothing.
-- * ix_runs_finished held an entry for every run in flight (finished_at null) that no query reads:
--   retention and the alert judge ask for runs finished before or within a time.
ALTER TABLE runs DROP CONSTRAINT fk_runs_tenant;
DROP INDEX ix_runs_finished;
CREATE INDEX ix_runs_finished ON runs (finished_at) WHERE finished_at IS NOT NULL;

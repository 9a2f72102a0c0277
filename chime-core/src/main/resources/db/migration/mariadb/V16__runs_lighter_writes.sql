-- A run's tenant is its schedule's (the engine writes it from the schedule row), fk_runs_schedule
-- already ties the run to that schedule, and a tenant can only be deleted once it has no
-- schedules, whose runs go with them: the check of fk_runs_tenant on every inserted run added
-- nothing. The index InnoDB made for the key stays.
ALTER TABLE runs DROP FOREIGN KEY fk_runs_tenant;

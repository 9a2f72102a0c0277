-- H2: the unique key of an instant's attempts leads with the instant. Led by schedule_id (V17),
-- each fire's entry went to a random page of the index, which H2 then wrote out again whole at
-- its next store; led by scheduled_at, new entries go to the end of the index, where the pages
-- are already in memory and already being written. The key means the same (a run's key is its
-- schedule and scheduled instant). A schedule's history and its runs in flight are read through
-- the foreign key's index of schedule_id and ix_runs_active_schedule; the engine finds an instant's
-- runs by the instant and the schedule together (EngineStore.keysBySchedule), naming this index
-- (USE INDEX): on a small table H2's planner would take the foreign key's index instead.
ALTER TABLE runs DROP CONSTRAINT uq_runs_schedule_instant_attempt;
CREATE UNIQUE INDEX uq_runs_instant_schedule_attempt ON runs (scheduled_at, schedule_id, attempt);

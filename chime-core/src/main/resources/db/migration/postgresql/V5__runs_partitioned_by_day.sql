-- Runs partitioned by day of scheduled_at (UTC), so that retention drops a whole day of history
-- at once instead of deleting its rows one by one, and the engine's writes of today touch only
-- today's partition (and its indexes, and its vacuum).
--
-- A partitioned table's unique keys must hold its partition key. run_key embeds the scheduled
-- instant (schedule id + instant) and every attempt at it has the same scheduled_at, so
-- (run_key, attempt, scheduled_at) is unique exactly when (run_key, attempt) is. The primary key
-- becomes (id, scheduled_at): each partition's index on it serves the lookups by id alone (ids are
-- random UUIDs, made unique by Chime, not by one index across partitions). Nothing references
-- runs by foreign key.
--
-- Daily partitions are made from the oldest day holding runs (at most 90 days back; anything
-- older goes into one partition that ends there) through 7 days ahead; from then on each node's
-- partition keeper makes them 7 days ahead. runs_default catches any run outside the ranges.
-- Every run is copied once, in this migration's transaction, before the indexes are built.

CREATE TABLE runs_by_day (LIKE runs INCLUDING DEFAULTS) PARTITION BY RANGE (scheduled_at);
CREATE TABLE runs_default PARTITION OF runs_by_day DEFAULT;

DO $$
DECLARE
  today  date := (now() AT TIME ZONE 'UTC')::date;
  oldest date;
  first  date;
  d      date;
BEGIN
  SELECT (min(scheduled_at) AT TIME ZONE 'UTC')::date INTO oldest FROM runs;
  first := greatest(least(coalesce(oldest, today), today), today - 90);
  IF oldest < first THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF runs_by_day FOR VALUES FROM (MINVALUE) TO (%L)',
                   'runs_before_' || to_char(first, 'YYYYMMDD'),
                   first::timestamp AT TIME ZONE 'UTC');
  END IF;
  FOR d IN SELECT generate_series(first, today + 7, interval '1 day')::date LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF runs_by_day FOR VALUES FROM (%L) TO (%L)',
                   'runs_p' || to_char(d, 'YYYYMMDD'),
                   d::timestamp AT TIME ZONE 'UTC',
                   (d + 1)::timestamp AT TIME ZONE 'UTC');
  END LOOP;
END $$;

INSERT INTO runs_by_day SELECT * FROM runs;
DROP TABLE runs;
ALTER TABLE runs_by_day RENAME TO runs;

ALTER TABLE runs ADD CONSTRAINT runs_pkey PRIMARY KEY (id, scheduled_at);
ALTER TABLE runs ADD CONSTRAINT uq_runs_key_attempt UNIQUE (run_key, attempt, scheduled_at);
ALTER TABLE runs ADD CONSTRAINT fk_runs_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id);
ALTER TABLE runs ADD CONSTRAINT fk_runs_schedule
  FOREIGN KEY (schedule_id) REFERENCES schedules (id) ON DELETE CASCADE;

-- a schedule's history in the API's order (newest instant, then attempt, then id), so a page is
-- read from the index without a sort; the per-schedule trim walks it the other way
CREATE INDEX ix_runs_schedule_scheduled ON runs (schedule_id, scheduled_at, attempt, id);
-- the engine's claim of queued runs, and its expiry of running ones past their deadline
CREATE INDEX ix_runs_status_due ON runs (status, due_at);
CREATE INDEX ix_runs_status_deadline ON runs (status, deadline_at);
-- overlap, and the start's read of what is in flight: the runs of a schedule that are running or
-- queued. Only those are in it, so in every partition but the newest few it is all but empty and
-- costs a start next to nothing per day of history kept. (Deleting a schedule's runs goes by
-- ix_runs_schedule_scheduled.)
CREATE INDEX ix_runs_schedule_active ON runs (schedule_id, status)
  WHERE status IN ('queued', 'running');
-- retention's delete by age in runs_default, and its check of a partition's late finishers
CREATE INDEX ix_runs_finished ON runs (finished_at);

-- The runs waiting in the queue and the runs in flight are a few beside the history, and the
-- engine's reads of them always name their status: the queued runs due by an instant (claims),
-- the running runs past their deadline (expiry) or of a node (restarts, the nodes list). Indexes
-- over every run for those made each fire write two entries more in each of them: one when its
-- run is inserted, one when its result changes the status (no update that changes an indexed
-- column is a heap-only one). Partial indexes hold only the rows they are for: a run's result
-- adds nothing to them, and they stay the size of the work in flight.
DROP INDEX ix_runs_status_due;
CREATE INDEX ix_runs_queued_due ON runs (due_at) WHERE status = 'queued';
DROP INDEX ix_runs_status_deadline;
CREATE INDEX ix_runs_running_deadline ON runs (deadline_at) WHERE status = 'running';

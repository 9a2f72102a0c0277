-- Run policies: retries, catch-up, overlap, async completion, failure streaks.

-- retry_policy, catchup_window_s, max_concurrency, overlap_policy, auto_disable_after as JSON;
-- '{}' means every default.
ALTER TABLE schedules ADD COLUMN policy_json VARCHAR(2000) NOT NULL DEFAULT '{}';
ALTER TABLE schedules ADD COLUMN consecutive_failures INT NOT NULL DEFAULT 0;
ALTER TABLE schedules ADD COLUMN last_status VARCHAR(16) NULL;
ALTER TABLE schedules ADD COLUMN disabled_reason VARCHAR(500) NULL;

-- when a queued run may go out (a retry waits for its backoff); its scheduled_at stays the
-- instant it stands for
ALTER TABLE runs ADD COLUMN due_at TIMESTAMPTZ NULL;
UPDATE runs SET due_at = scheduled_at WHERE status = 'queued';
-- a running run not finished by then is closed as timeout by whichever node sees it first
ALTER TABLE runs ADD COLUMN deadline_at TIMESTAMPTZ NULL;
-- SHA-256 of the one-run token an async target reports back with; cleared once used
ALTER TABLE runs ADD COLUMN callback_token_hash VARCHAR(64) NULL;
ALTER TABLE runs ADD COLUMN result_json TEXT NULL;

DROP INDEX ix_runs_status_scheduled;
CREATE INDEX ix_runs_status_due ON runs (status, due_at);
CREATE INDEX ix_runs_status_deadline ON runs (status, deadline_at);
-- overlap: the runs of one schedule that are running or queued
CREATE INDEX ix_runs_schedule_status ON runs (schedule_id, status);

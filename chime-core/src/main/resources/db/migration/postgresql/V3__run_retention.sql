-- retention's delete by age: finished runs by when they finished (queued and running runs have none)
CREATE INDEX ix_runs_finished ON runs (finished_at);

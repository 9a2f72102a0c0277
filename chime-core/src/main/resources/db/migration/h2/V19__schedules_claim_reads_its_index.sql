-- The engine's claim of due schedules reads H2's index alone. Until now the index held the due
-- instant only, and H2 fetched each due schedule's whole row through its primary key: to test its
-- lease and to return its trigger, target, payload and policy. That fetch was a quarter of the
-- engine's time at 4,000 fires/s, and grew with the schedules stored (their rows fell out of H2's
-- cache between fires). The index now holds every column the claim tests or returns; the
-- definition itself comes from the node's cache of definitions, by definition_version, which every
-- edit of a schedule raises (Claims, Definitions).
ALTER TABLE schedules ADD COLUMN definition_version BIGINT NOT NULL DEFAULT 0;
DROP INDEX ix_schedules_due;
CREATE INDEX ix_schedules_due ON schedules
  (enabled, next_fire_at, lease_until, lease_owner, lease_epoch, last_fire_at, definition_version, tenant_id, id);

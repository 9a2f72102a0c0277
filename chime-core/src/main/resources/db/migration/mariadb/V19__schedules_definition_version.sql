-- Every edit of a schedule's definition (trigger, target, payload, policy) raises its
-- definition_version: a claim reads the narrow columns of a due schedule and takes its definition
-- from the node's cache of definitions at that version (Claims, Definitions), reading the row only
-- for a version it has not seen.
ALTER TABLE schedules ADD COLUMN definition_version BIGINT NOT NULL DEFAULT 0;

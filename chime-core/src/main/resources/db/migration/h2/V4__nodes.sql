-- The nodes of a cluster. A node registers here when it starts (a restart under the same id
-- updates its row), writes a heartbeat on its own thread, and marks itself stopped when it stops
-- cleanly. Every time in this table comes from the database's clock, never a node's, and nodes
-- are judged against that clock too, so the nodes' clocks need not agree.
-- One row per node id seen in the last days (rows gone for a week are deleted): no index beyond
-- the key.
CREATE TABLE nodes (
  id            VARCHAR(128)  PRIMARY KEY,  -- the node id, as in lease_owner
  address       VARCHAR(2000) NOT NULL,     -- its public URL
  version       VARCHAR(100)  NOT NULL,     -- the Chime version it runs
  heartbeat_ms  INT           NOT NULL,     -- its heartbeat interval: two missed make it suspect
  lease_ms      INT           NOT NULL,     -- its lease: no heartbeat for longer makes it gone
  started_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  heartbeat_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  stopped_at    TIMESTAMP(6) WITH TIME ZONE NULL  -- set by a clean stop; NULL while it runs
);

-- Before it starts runs of a tenant, a node counts the tenant's runs in flight that are not its own
-- (on other nodes, or waiting for a callback with no owner), so a tenant's max_running holds across
-- the cluster. Without an index for it that count read every running row of the tenant, its own
-- included. With this one the count reads the entries on either side of the node's own and those
-- without an owner, and none of its own.
CREATE INDEX ix_runs_status_tenant_owner ON runs (status, tenant_id, lease_owner);

-- MariaDB: instants are DATETIME(6) in UTC.
-- Where a tenant's scheduled tasks (the older scheduled-tasks API, docs/compat.md) are sent: that
-- system dispatched every task to its own executor, so Chime keeps one HTTP target per tenant, as
-- the target JSON of a schedule, and gives it to each task the tenant creates or changes.
-- No row: the tenant has none, and creating a task is refused until its admin sets one.
CREATE TABLE scheduled_task_targets (
  tenant_id    VARCHAR(64)  PRIMARY KEY,
  target_json  TEXT         NOT NULL,
  updated_at   DATETIME(6)  NOT NULL,
  CONSTRAINT fk_scheduled_task_targets_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

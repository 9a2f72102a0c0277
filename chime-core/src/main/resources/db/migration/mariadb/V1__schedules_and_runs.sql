-- Chime's first schema: tenants, schedules and their runs.
-- MariaDB: instants are DATETIME(6) in UTC; Chime binds every instant as UTC itself.
-- Every table that holds user objects carries tenant_id; one 'default' tenant exists from the start.

CREATE TABLE tenants (
  id          VARCHAR(64)  PRIMARY KEY,
  name        VARCHAR(200) NOT NULL,
  created_at  DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO tenants (id, name, created_at) VALUES ('default', 'Default tenant', UTC_TIMESTAMP(6));

CREATE TABLE schedules (
  id            VARCHAR(36)   PRIMARY KEY,
  tenant_id     VARCHAR(64)   NOT NULL,
  name          VARCHAR(200)  NOT NULL,
  description   VARCHAR(2000) NOT NULL,
  enabled       BOOLEAN       NOT NULL,
  trigger_type  VARCHAR(16)   NOT NULL,
  trigger_json  VARCHAR(1000) NOT NULL,
  target_json   MEDIUMTEXT          NOT NULL,
  payload_json  MEDIUMTEXT          NOT NULL,
  next_fire_at  DATETIME(6)   NULL,
  last_fire_at  DATETIME(6)   NULL,
  lease_owner   VARCHAR(128)  NULL,
  lease_until   DATETIME(6)   NULL,
  lease_epoch   BIGINT        NOT NULL DEFAULT 0,
  created_at    DATETIME(6)   NOT NULL,
  updated_at    DATETIME(6)   NOT NULL,
  CONSTRAINT fk_schedules_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT uq_schedules_tenant_name UNIQUE (tenant_id, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- the engine's claim: enabled schedules by next fire
CREATE INDEX ix_schedules_due ON schedules (enabled, next_fire_at);
-- the API's list: a tenant's schedules in creation order
CREATE INDEX ix_schedules_tenant_created ON schedules (tenant_id, created_at, id);

CREATE TABLE runs (
  id                VARCHAR(36)   PRIMARY KEY,
  tenant_id         VARCHAR(64)   NOT NULL,
  schedule_id       VARCHAR(36)   NOT NULL,
  run_key           VARCHAR(120)  NOT NULL,
  attempt           INT           NOT NULL,
  origin            VARCHAR(16)   NOT NULL,
  status            VARCHAR(16)   NOT NULL,
  scheduled_at      DATETIME(6)   NOT NULL,
  started_at        DATETIME(6)   NULL,
  finished_at       DATETIME(6)   NULL,
  duration_ms       BIGINT        NULL,
  http_status       INT           NULL,
  error_code        VARCHAR(64)   NULL,
  error_message     VARCHAR(2000) NULL,
  response_excerpt  MEDIUMTEXT          NULL,
  trace_id          VARCHAR(32)   NOT NULL,
  lease_owner       VARCHAR(128)  NULL,
  lease_until       DATETIME(6)   NULL,
  lease_epoch       BIGINT        NOT NULL DEFAULT 0,
  created_at        DATETIME(6)   NOT NULL,
  CONSTRAINT fk_runs_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT fk_runs_schedule FOREIGN KEY (schedule_id) REFERENCES schedules (id) ON DELETE CASCADE,
  CONSTRAINT uq_runs_key_attempt UNIQUE (run_key, attempt)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- a schedule's history, newest first
CREATE INDEX ix_runs_schedule_scheduled ON runs (schedule_id, scheduled_at, id);
-- the engine's claim of queued runs (run-now, later retries)
CREATE INDEX ix_runs_status_scheduled ON runs (status, scheduled_at);

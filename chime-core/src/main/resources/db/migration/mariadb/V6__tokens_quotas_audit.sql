-- Tenants' own limits, API tokens, and the audit trail.
--
-- A tenant's quota columns are NULL while the tenant follows the node's defaults (the quota.*
-- settings); a value there overrides the default for that tenant only.
--
-- An API token is kept only as the SHA-256 of its text (hex), never the text itself: the text is
-- shown once, when the token is made. A revoked or expired token stays listed for the audit trail.
--
-- Every change made through the API writes one audit event in the transaction of the change:
-- who (the token's id and name), what (action and object), when, and the object before and after
-- (secrets masked). Events are read per tenant, newest first, optionally for one object.
-- MariaDB: instants are DATETIME(6) in UTC.

ALTER TABLE tenants
  ADD COLUMN max_enabled_schedules INT NULL,
  ADD COLUMN min_interval_s        INT NULL,
  ADD COLUMN max_running           INT NULL,
  ADD COLUMN max_payload_bytes     INT NULL;

CREATE TABLE api_tokens (
  id           VARCHAR(36)   PRIMARY KEY,
  tenant_id    VARCHAR(64)   NOT NULL,
  name         VARCHAR(200)  NOT NULL,
  token_hash   VARCHAR(64)   NOT NULL,   -- SHA-256 of the token's text, hex
  prefix       VARCHAR(16)   NOT NULL,   -- the token's first characters, to tell tokens apart
  scopes       VARCHAR(500)  NOT NULL,   -- space-separated, e.g. 'schedules:read runs:read'
  created_at   DATETIME(6) NOT NULL,
  expires_at   DATETIME(6) NULL,
  revoked_at   DATETIME(6) NULL,
  created_by   VARCHAR(36)   NULL,       -- the token that made it; NULL for the first admin token
  CONSTRAINT fk_api_tokens_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT uq_api_tokens_hash UNIQUE (token_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- a tenant's tokens in creation order
CREATE INDEX ix_api_tokens_tenant_created ON api_tokens (tenant_id, created_at, id);

CREATE TABLE audit_events (
  id            VARCHAR(36)   PRIMARY KEY,
  tenant_id     VARCHAR(64)   NOT NULL,
  occurred_at   DATETIME(6) NOT NULL,
  actor_id      VARCHAR(36)   NULL,      -- the token's id; NULL for Chime itself or auth off
  actor_name    VARCHAR(200)  NOT NULL,
  action        VARCHAR(64)   NOT NULL,  -- e.g. schedule.create, token.revoke
  object_type   VARCHAR(32)   NOT NULL,  -- schedule, run, token, tenant
  object_id     VARCHAR(64)   NOT NULL,
  before_json   MEDIUMTEXT NULL,
  after_json    MEDIUMTEXT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- a tenant's trail, newest first; one object's trail
CREATE INDEX ix_audit_tenant_at ON audit_events (tenant_id, occurred_at, id);
CREATE INDEX ix_audit_tenant_object ON audit_events (tenant_id, object_id, occurred_at);

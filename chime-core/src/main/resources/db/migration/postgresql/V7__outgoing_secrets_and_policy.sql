-- Safe outgoing calls: the key every secret is sealed with, the tenants' signing secrets, and the
-- tenants' target allow-lists. Secrets are kept sealed (AES-GCM under secrets.key), never as text.

-- The id (never the key) of the secrets key that sealed this database's secrets. A node whose key
-- has another id refuses to start, since it could open none of them. One row, id 1: two nodes
-- that start at once cannot both write theirs.
CREATE TABLE sealing_key (
  id          INT          PRIMARY KEY,
  key_id      VARCHAR(16)  NOT NULL,
  created_at  TIMESTAMPTZ  NOT NULL
);

-- A tenant's Standard Webhooks signing secrets. The newest signs every call; an older one signs
-- too until its expires_at (set by a rotation: its grace period), and is deleted after that.
CREATE TABLE signing_secrets (
  id          VARCHAR(36)  PRIMARY KEY,
  tenant_id   VARCHAR(64)  NOT NULL,
  sealed      VARCHAR(500) NOT NULL,
  created_at  TIMESTAMPTZ  NOT NULL,
  expires_at  TIMESTAMPTZ  NULL,
  CONSTRAINT fk_signing_secrets_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

-- a tenant's secrets, oldest first: the only read
CREATE INDEX ix_signing_secrets_tenant ON signing_secrets (tenant_id, created_at);

-- A tenant's own narrowing of where its calls may go: a JSON array of host names (a.example.com,
-- *.example.com) and address blocks (10.1.0.0/16). No row, or an empty array, narrows nothing.
CREATE TABLE target_allowlists (
  tenant_id     VARCHAR(64)  PRIMARY KEY,
  entries_json  TEXT NOT NULL,
  updated_at    TIMESTAMPTZ  NOT NULL,
  CONSTRAINT fk_target_allowlists_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

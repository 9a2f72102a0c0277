-- Alerts: notification channels, alert rules, incidents and the deliveries waiting to go out.
--
-- A channel is where a tenant's alerts go: a webhook (JSON, signed), a Slack incoming webhook, or
-- e-mail over SMTP. settings_json holds what the API may show; secret_sealed holds the credentials
-- (URLs with their tokens, headers, the SMTP password, the signing secret), sealed with the node's
-- secrets key, and is never answered.
--
-- An alert rule watches one schedule (schedule_id) or every schedule of its tenant (NULL) and
-- names the channels it tells. threshold means what its kind says (failures in a row, seconds past
-- a deadline); cursor_at is how far a result rule has delivered runs' results.
--
-- An incident is one episode of a rule being broken for one subject (a schedule, a node). While it
-- is open its open_key is 'open', so (rule_id, subject_id, open_key) lets one open incident exist:
-- nodes racing to open the same one make one, and only the node that closes it says so. A closed
-- incident's open_key is NULL (NULLs never clash), so its history stays.
--
-- alert_deliveries is the outbox: one row per message for one channel, written in the transaction
-- that opened or closed the incident, sent by whichever node claims it (lease_owner, lease_until),
-- retried with backoff until delivered or given up.
--
-- checkin_tokens: the token a check-in schedule is pinged with (POST /api/v1/checkins/{token}),
-- kept as its SHA-256; early_ping_at is a ping that came before its instant (within the grace),
-- which the instant's run takes as its success.

CREATE TABLE notification_channels (
  id             VARCHAR(36)   PRIMARY KEY,
  tenant_id      VARCHAR(64)   NOT NULL,
  name           VARCHAR(200)  NOT NULL,
  kind           VARCHAR(16)   NOT NULL,   -- webhook, slack, email
  settings_json  VARCHAR(4000) NOT NULL,   -- what the API shows
  secret_sealed  VARCHAR(16000) NOT NULL,  -- the credentials, sealed; never answered
  created_at     TIMESTAMPTZ NOT NULL,
  updated_at     TIMESTAMPTZ NOT NULL,
  CONSTRAINT fk_channels_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT uq_channels_tenant_name UNIQUE (tenant_id, name)
);

CREATE INDEX ix_channels_tenant_created ON notification_channels (tenant_id, created_at, id);

CREATE TABLE alert_rules (
  id            VARCHAR(36)   PRIMARY KEY,
  tenant_id     VARCHAR(64)   NOT NULL,
  schedule_id   VARCHAR(36)   NULL,        -- NULL: every schedule of the tenant
  kind          VARCHAR(32)   NOT NULL,    -- failures, recovered, stuck, result, stalled, late
  threshold     INT           NOT NULL,
  params_json   VARCHAR(2000) NOT NULL,
  channel_ids   VARCHAR(2000) NOT NULL,    -- space-separated channel ids
  enabled       BOOLEAN       NOT NULL,
  cursor_at     TIMESTAMPTZ NULL,
  created_at    TIMESTAMPTZ NOT NULL,
  updated_at    TIMESTAMPTZ NOT NULL,
  CONSTRAINT fk_alert_rules_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT fk_alert_rules_schedule FOREIGN KEY (schedule_id) REFERENCES schedules (id) ON DELETE CASCADE
);

CREATE INDEX ix_alert_rules_tenant_created ON alert_rules (tenant_id, created_at, id);
CREATE INDEX ix_alert_rules_schedule ON alert_rules (schedule_id);
CREATE INDEX ix_alert_rules_kind ON alert_rules (kind, enabled);

CREATE TABLE alert_incidents (
  id            VARCHAR(36)   PRIMARY KEY,
  tenant_id     VARCHAR(64)   NOT NULL,
  rule_id       VARCHAR(36)   NOT NULL,
  subject_id    VARCHAR(128)  NOT NULL,    -- the schedule (or node) it is about
  open_key      VARCHAR(8)    NULL,        -- 'open' while open, NULL once closed
  since_at      TIMESTAMPTZ NOT NULL,  -- when the trouble began
  opened_at     TIMESTAMPTZ NOT NULL,
  closed_at     TIMESTAMPTZ NULL,
  last_seen_at  TIMESTAMPTZ NOT NULL,
  seen          INT           NOT NULL,    -- how many times the trouble was seen (grouped repeats)
  last_run_id   VARCHAR(36)   NULL,
  last_error    VARCHAR(2000) NULL,
  CONSTRAINT fk_alert_incidents_rule FOREIGN KEY (rule_id) REFERENCES alert_rules (id) ON DELETE CASCADE,
  CONSTRAINT uq_alert_incidents_open UNIQUE (rule_id, subject_id, open_key)
);

CREATE INDEX ix_alert_incidents_open ON alert_incidents (open_key, rule_id);
CREATE INDEX ix_alert_incidents_tenant ON alert_incidents (tenant_id, opened_at, id);

CREATE TABLE alert_deliveries (
  id            VARCHAR(36)   PRIMARY KEY,
  tenant_id     VARCHAR(64)   NOT NULL,
  channel_id    VARCHAR(36)   NOT NULL,
  incident_id   VARCHAR(36)   NULL,
  event         VARCHAR(16)   NOT NULL,    -- opened, resolved, result, test
  message_json  TEXT NOT NULL,
  status        VARCHAR(16)   NOT NULL,    -- pending, delivered, failed
  attempts      INT           NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL,
  due_at        TIMESTAMPTZ NOT NULL,
  delivered_at  TIMESTAMPTZ NULL,
  last_error    VARCHAR(2000) NULL,
  lease_owner   VARCHAR(128)  NULL,
  lease_until   TIMESTAMPTZ NULL,
  CONSTRAINT fk_alert_deliveries_channel FOREIGN KEY (channel_id) REFERENCES notification_channels (id) ON DELETE CASCADE
);

-- the sender's claim: pending deliveries by when they are due
CREATE INDEX ix_alert_deliveries_due ON alert_deliveries (status, due_at);
CREATE INDEX ix_alert_deliveries_created ON alert_deliveries (created_at);

CREATE TABLE checkin_tokens (
  schedule_id    VARCHAR(36)   PRIMARY KEY,
  tenant_id      VARCHAR(64)   NOT NULL,
  token_hash     VARCHAR(64)   NOT NULL,   -- SHA-256 of the token, hex
  created_at     TIMESTAMPTZ NOT NULL,
  early_ping_at  TIMESTAMPTZ NULL,
  CONSTRAINT fk_checkin_tokens_schedule FOREIGN KEY (schedule_id) REFERENCES schedules (id) ON DELETE CASCADE,
  CONSTRAINT uq_checkin_tokens_hash UNIQUE (token_hash)
);

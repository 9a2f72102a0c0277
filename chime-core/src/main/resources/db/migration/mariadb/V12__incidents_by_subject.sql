-- The API lists a tenant's incidents in the order they opened, narrowed to one subject (a
-- schedule, or a node) when asked: this index serves that listing.
CREATE INDEX ix_alert_incidents_subject ON alert_incidents (tenant_id, subject_id, opened_at, id);

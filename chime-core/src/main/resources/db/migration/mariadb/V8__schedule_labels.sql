-- Labels of schedules: {"team":"billing","env":"prod"}, at most 20 per schedule.
-- labels_json is what a schedule is read with; schedule_labels holds the same pairs one per row,
-- written in the same transaction, so that a list filtered by a label selector
-- (?label=team=billing,env!=dev) finds its schedules through an index instead of reading JSON.
ALTER TABLE schedules ADD COLUMN labels_json VARCHAR(4000) NOT NULL DEFAULT '{}';

CREATE TABLE schedule_labels (
  schedule_id  VARCHAR(36) NOT NULL,
  tenant_id    VARCHAR(64) NOT NULL,
  label_key    VARCHAR(63) NOT NULL,
  label_value  VARCHAR(63) NOT NULL,
  PRIMARY KEY (schedule_id, label_key),
  CONSTRAINT fk_schedule_labels_schedule FOREIGN KEY (schedule_id) REFERENCES schedules (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- a selector's term: the tenant's schedules with this key (and value)
CREATE INDEX ix_schedule_labels_tenant_key ON schedule_labels (tenant_id, label_key, label_value);

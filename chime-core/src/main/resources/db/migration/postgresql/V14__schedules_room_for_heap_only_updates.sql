-- Most writes of a schedule's row change no indexed column: a claim or a renewal of its lease, a
-- result's failure streak. PostgreSQL writes such an update without touching an index (a heap-only
-- update) only when the new version fits in the same page, and a packed page has no room: at
-- 3,000 fires a second, 3 % of the updates of schedules were heap-only, and each claim wrote
-- entries in all four of its indexes. Pages filled to 70 % keep room for the new versions; the
-- space of dead ones is taken back within the page as it is read, before any vacuum. The setting
-- applies to pages written from now on (a VACUUM FULL would rewrite the existing ones).
ALTER TABLE schedules SET (fillfactor = 70);

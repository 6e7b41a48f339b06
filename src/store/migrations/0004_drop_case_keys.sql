-- The partition snapshots are the only record of where a case record lives: an import finds the
-- stored partition of a key by reading the key columns of the snapshots, so the row-per-record
-- key index of migration 0002 is no longer written or read.
DROP TABLE case_keys;

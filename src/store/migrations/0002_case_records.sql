-- Anonymised case records (data/schemas/case-records.yaml). The records of one record type,
-- country and reporting year (a partition; children belong to their parent proceeding's) are
-- stored together as one columnar snapshot (cases/case_table.hpp): compact, loaded by the engine
-- in one read, written in the same transaction as the key index below. `rapporteur export cases`
-- gives them back in the import format. {{without_rowid}} is WITHOUT ROWID in SQLite (the table
-- is stored by its key), nothing in PostgreSQL.

-- Every stored record by key: which partition holds it, and the import that last wrote it.
-- Composite keys (proceeding_victim: proceeding and case) are joined with the unit separator.
CREATE TABLE case_keys (
    record   TEXT NOT NULL,
    record_key TEXT NOT NULL,
    country  TEXT NOT NULL,
    year     INTEGER NOT NULL,
    version  BIGINT NOT NULL,
    PRIMARY KEY (record, record_key)
){{without_rowid}};

-- The columnar snapshot of each partition (record type, country, year). payload: the binary
-- table (cases/case_table.hpp), as a blob in SQLite and as base64 text in PostgreSQL.
CREATE TABLE case_partitions (
    record   TEXT NOT NULL,
    country  TEXT NOT NULL,
    year     INTEGER NOT NULL,
    rows     BIGINT NOT NULL,
    version  BIGINT NOT NULL,
    payload  TEXT NOT NULL,
    PRIMARY KEY (record, country, year)
);

-- Every import: what it changed.
CREATE TABLE case_imports (
    version      BIGINT PRIMARY KEY,
    imported_at  TEXT NOT NULL,
    files        TEXT NOT NULL,
    inserted     BIGINT NOT NULL,
    updated      BIGINT NOT NULL,
    partitions   TEXT NOT NULL
);

-- Computed values of case-derived indicators, per country and year, valid for the data version
-- and framework they were computed from. payload: base64 of the binary value list.
CREATE TABLE indicator_results (
    country           TEXT NOT NULL,
    year              INTEGER NOT NULL,
    framework_id      TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    data_version      BIGINT NOT NULL,
    computed_at       TEXT NOT NULL,
    value_count       BIGINT NOT NULL,
    payload           TEXT NOT NULL,
    PRIMARY KEY (country, year)
);

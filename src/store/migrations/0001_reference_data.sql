-- Reference data: frameworks, codelists and countries, with their versions.
-- reference_files keeps every version of every shipped or imported file verbatim (the canonical
-- definition); the other tables index what those files say, for queries and joins.
-- Portable SQL for SQLite and PostgreSQL (see store/soci_store.cpp for dialect placeholders).

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE reference_files (
    file_type   TEXT NOT NULL CHECK (file_type IN ('framework', 'codelist', 'countries',
                                                   'case_schema')),
    name        TEXT NOT NULL,          -- framework id, dimension code, 'countries', 'case_records'
    version     TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    source_name TEXT NOT NULL,          -- the file it was loaded from
    content     TEXT NOT NULL,
    loaded_at   TEXT NOT NULL,          -- UTC, ISO 8601
    PRIMARY KEY (file_type, name, version)
);

CREATE TABLE frameworks (
    id              TEXT NOT NULL,
    version         TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('core', 'national')),
    country         TEXT,
    extends_id      TEXT,
    extends_version TEXT,
    name_en         TEXT NOT NULL,
    example         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (id, version)
);

CREATE TABLE framework_areas (
    framework_id      TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    code              TEXT NOT NULL,
    position          INTEGER NOT NULL,
    name_en           TEXT NOT NULL,
    PRIMARY KEY (framework_id, framework_version, code),
    FOREIGN KEY (framework_id, framework_version) REFERENCES frameworks (id, version)
);

-- Indicators a framework defines itself: all of a core's, and a national adaptation's own.
CREATE TABLE framework_indicators (
    framework_id      TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    code              TEXT NOT NULL,
    area              TEXT NOT NULL,
    position          INTEGER NOT NULL,
    name_en           TEXT NOT NULL,
    types             TEXT NOT NULL,    -- comma-separated: structural,process
    kinds             TEXT NOT NULL,    -- comma-separated value kinds of its measures: NUM,PCT
    status            TEXT NOT NULL CHECK (status IN ('active', 'retired')),
    PRIMARY KEY (framework_id, framework_version, code),
    FOREIGN KEY (framework_id, framework_version) REFERENCES frameworks (id, version)
);

CREATE TABLE framework_deviations (
    framework_id      TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    position          INTEGER NOT NULL,
    deviation_type    TEXT NOT NULL CHECK (deviation_type IN
                          ('not_applicable', 'redefined', 'extra_disaggregation',
                           'national_indicator')),
    indicator_code    TEXT NOT NULL,
    reason_en         TEXT NOT NULL,
    PRIMARY KEY (framework_id, framework_version, position),
    FOREIGN KEY (framework_id, framework_version) REFERENCES frameworks (id, version)
);

-- The effective national framework: every indicator that applies in a country under one version
-- of its adaptation, with its comparability class.
CREATE TABLE effective_indicators (
    framework_id      TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    code              TEXT NOT NULL,
    country           TEXT NOT NULL,
    comparability     TEXT NOT NULL CHECK (comparability IN
                          ('identical', 'adapted', 'national_only', 'not_applicable')),
    PRIMARY KEY (framework_id, framework_version, code),
    FOREIGN KEY (framework_id, framework_version) REFERENCES frameworks (id, version)
);

CREATE TABLE codelists (
    dimension TEXT NOT NULL,
    version   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    PRIMARY KEY (dimension, version)
);

CREATE TABLE codelist_codes (
    dimension  TEXT NOT NULL,
    version    TEXT NOT NULL,
    code       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    parent     TEXT,
    country    TEXT,
    is_unknown INTEGER NOT NULL DEFAULT 0,
    name_en    TEXT NOT NULL,
    PRIMARY KEY (dimension, version, code),
    FOREIGN KEY (dimension, version) REFERENCES codelists (dimension, version)
);

CREATE TABLE codelist_mappings (
    dimension      TEXT NOT NULL,
    version        TEXT NOT NULL,
    code           TEXT NOT NULL,
    standard       TEXT NOT NULL,       -- htcds, ctdc, eurostat
    external_value TEXT NOT NULL,
    PRIMARY KEY (dimension, version, code, standard),
    FOREIGN KEY (dimension, version, code) REFERENCES codelist_codes (dimension, version, code)
);

-- Countries as the most recent countries file describes them.
CREATE TABLE countries (
    code            TEXT PRIMARY KEY,
    iso3            TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    currency        TEXT NOT NULL,
    languages       TEXT NOT NULL,      -- comma-separated language tags
    data_version    TEXT NOT NULL       -- version of the countries file
);

CREATE TABLE population (
    country      TEXT NOT NULL REFERENCES countries (code),
    year         INTEGER NOT NULL,
    population   BIGINT NOT NULL CHECK (population > 0),
    estimated    INTEGER NOT NULL DEFAULT 0,
    source       TEXT NOT NULL,
    data_version TEXT NOT NULL,
    PRIMARY KEY (country, year)
);

-- Anonymised case records: one table per record type of data/schemas/case-records.yaml (the
-- store test checks that every field has its column). Codes and sets of codes are text (sets as
-- 'a;b', the empty set as 'none'), months are 'YYYY-MM', amounts are whole cents, booleans 0/1;
-- NULL is "not recorded". Child records carry the country and year of their parent proceeding,
-- which is the partition they belong to.

CREATE TABLE victims (
    case_id TEXT NOT NULL,
    country TEXT NOT NULL,
    year INTEGER NOT NULL,
    sub_national_unit TEXT,
    reporting_org_type TEXT,
    date_first_contact TEXT,
    date_identified TEXT,
    days_to_status INTEGER,
    status TEXT NOT NULL,
    status_decided_by TEXT,
    identified_by TEXT,
    known_to TEXT,
    sex TEXT NOT NULL,
    age_band TEXT,
    minor_at_identification SMALLINT CHECK (minor_at_identification IN (0, 1)),
    minor_at_exploitation SMALLINT CHECK (minor_at_exploitation IN (0, 1)),
    citizenship_group TEXT,
    scope TEXT,
    forms TEXT,
    sex_exploitation_type TEXT,
    labour_sector TEXT,
    means_of_control TEXT,
    recruitment_method TEXT,
    recruitment_platforms TEXT,
    recruiter_relation TEXT,
    duration_exploitation TEXT,
    reflection_offered SMALLINT CHECK (reflection_offered IN (0, 1)),
    reflection_days INTEGER,
    residence_permit TEXT,
    services TEXT,
    shelter_type TEXT,
    assistance_plan SMALLINT CHECK (assistance_plan IN (0, 1)),
    support_start TEXT,
    support_end TEXT,
    support_days INTEGER,
    entered_education_employment SMALLINT CHECK (entered_education_employment IN (0, 1)),
    risk_assessment_done SMALLINT CHECK (risk_assessment_done IN (0, 1)),
    guardian_appointed SMALLINT CHECK (guardian_appointed IN (0, 1)),
    days_to_guardian INTEGER,
    penalised_for_own_offence TEXT,
    penalised_offence TEXT,
    return_type TEXT,
    return_risk_assessed SMALLINT CHECK (return_risk_assessed IN (0, 1)),
    retrafficked SMALLINT CHECK (retrafficked IN (0, 1)),
    informed_of_compensation SMALLINT CHECK (informed_of_compensation IN (0, 1)),
    consent_data_processing SMALLINT CHECK (consent_data_processing IN (0, 1)),
    consent_anonymised_sharing SMALLINT CHECK (consent_anonymised_sharing IN (0, 1)),
    last_verified TEXT,
    updated_version BIGINT NOT NULL,
    PRIMARY KEY (case_id)
);
CREATE INDEX victims_partition ON victims (country, year);

CREATE TABLE proceedings (
    proceeding_id TEXT NOT NULL,
    country TEXT NOT NULL,
    year INTEGER NOT NULL,
    sub_national_unit TEXT,
    legal_qualification_initial TEXT,
    legal_qualification_final TEXT,
    requalified SMALLINT CHECK (requalified IN (0, 1)),
    forms TEXT,
    date_report TEXT,
    date_investigation_opened TEXT,
    date_indictment TEXT,
    date_first_instance_verdict TEXT,
    date_final_verdict TEXT,
    investigation_opened SMALLINT CHECK (investigation_opened IN (0, 1)),
    days_to_verdict INTEGER,
    stage TEXT,
    confiscation_ordered SMALLINT CHECK (confiscation_ordered IN (0, 1)),
    amount_ordered_eur BIGINT,
    amount_realised_eur BIGINT,
    source TEXT,
    updated_version BIGINT NOT NULL,
    PRIMARY KEY (proceeding_id)
);
CREATE INDEX proceedings_partition ON proceedings (country, year);

CREATE TABLE defendants (
    country TEXT NOT NULL,
    year INTEGER NOT NULL,
    defendant_id TEXT NOT NULL,
    proceeding_id TEXT NOT NULL,
    sex TEXT,
    citizenship_group TEXT,
    indicted SMALLINT CHECK (indicted IN (0, 1)),
    outcome TEXT,
    verdict_stage TEXT,
    sentence_type TEXT,
    prison_months INTEGER,
    updated_version BIGINT NOT NULL,
    PRIMARY KEY (defendant_id)
);
CREATE INDEX defendants_partition ON defendants (country, year);
CREATE INDEX defendants_parent ON defendants (proceeding_id);

CREATE TABLE proceeding_victims (
    country TEXT NOT NULL,
    year INTEGER NOT NULL,
    proceeding_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    testified SMALLINT CHECK (testified IN (0, 1)),
    times_heard INTEGER,
    protective_measures TEXT,
    legal_representation TEXT,
    informed_of_rights SMALLINT CHECK (informed_of_rights IN (0, 1)),
    property_claim_filed SMALLINT CHECK (property_claim_filed IN (0, 1)),
    property_claim_decision TEXT,
    claim_amount_eur BIGINT,
    awarded_amount_eur BIGINT,
    updated_version BIGINT NOT NULL,
    PRIMARY KEY (proceeding_id, case_id)
);
CREATE INDEX proceeding_victims_partition ON proceeding_victims (country, year);
CREATE INDEX proceeding_victims_parent ON proceeding_victims (proceeding_id);

CREATE TABLE claims (
    claim_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    proceeding_id TEXT,
    country TEXT NOT NULL,
    year INTEGER NOT NULL,
    route TEXT,
    respondent TEXT,
    date_filed TEXT,
    date_decided TEXT,
    date_first_payment TEXT,
    date_paid_full TEXT,
    days_to_payment INTEGER,
    heads_of_damage TEXT,
    amount_claimed_eur BIGINT,
    amount_awarded_eur BIGINT,
    amount_paid_eur BIGINT,
    decision TEXT,
    rejection_reason TEXT,
    enforcement_initiated SMALLINT CHECK (enforcement_initiated IN (0, 1)),
    enforcement_outcome TEXT,
    paid_by TEXT,
    legal_aid_provider TEXT,
    updated_version BIGINT NOT NULL,
    PRIMARY KEY (claim_id)
);
CREATE INDEX claims_partition ON claims (country, year);

-- The columnar snapshot of each partition (record type, country, year), written in the same
-- transaction as the rows, so that the engine loads a partition without reading its rows.
-- payload: base64 of the binary table (cases/case_table.hpp).
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

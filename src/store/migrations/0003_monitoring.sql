-- Monitoring cycles (src/monitoring/): everything that happens in a country's monitoring is an
-- event, appended once and never changed. The events are the data (the current state of cycles,
-- values, requests and recommendations is their fold) and the audit log at the same time: each
-- row carries the SHA-256 of its content chained to the previous row's hash, so that
-- `rapporteur audit verify` finds any row that was edited, inserted or deleted.
CREATE TABLE monitoring_events (
    seq        BIGINT PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    country    TEXT NOT NULL,
    event_type TEXT NOT NULL,
    payload    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX monitoring_events_country ON monitoring_events (country, seq);

-- Files attached to evidence and to information requests, stored once by content.
-- content: base64.
CREATE TABLE attachments (
    sha256     TEXT PRIMARY KEY,
    file_name  TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size       BIGINT NOT NULL,
    content    TEXT NOT NULL,
    added_at   TEXT NOT NULL,
    added_by   TEXT NOT NULL
);

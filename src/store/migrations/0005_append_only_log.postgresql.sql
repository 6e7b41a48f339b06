-- The audit log is append-only in the database itself: rows of monitoring_events and attachments
-- are never changed or deleted (nor the tables truncated), and PostgreSQL refuses to do so. (The
-- tables' owner can disable these triggers; `rapporteur audit verify` then still finds what
-- changed.)
CREATE FUNCTION rapporteur_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: the audit log and its files are never changed or deleted',
        TG_TABLE_NAME;
END
$$;
CREATE TRIGGER monitoring_events_append_only BEFORE UPDATE OR DELETE ON monitoring_events
    FOR EACH ROW EXECUTE FUNCTION rapporteur_append_only();
CREATE TRIGGER monitoring_events_no_truncate BEFORE TRUNCATE ON monitoring_events
    FOR EACH STATEMENT EXECUTE FUNCTION rapporteur_append_only();
CREATE TRIGGER attachments_append_only BEFORE UPDATE OR DELETE ON attachments
    FOR EACH ROW EXECUTE FUNCTION rapporteur_append_only();
CREATE TRIGGER attachments_no_truncate BEFORE TRUNCATE ON attachments
    FOR EACH STATEMENT EXECUTE FUNCTION rapporteur_append_only();

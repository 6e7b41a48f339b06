-- The audit log is append-only in the database itself: rows of monitoring_events and attachments
-- are never changed or deleted, and SQLite refuses to do either. (Whoever can edit the database
-- file can drop these triggers too; `rapporteur audit verify` then still finds what changed.)
CREATE TRIGGER monitoring_events_no_update BEFORE UPDATE ON monitoring_events
BEGIN
    SELECT RAISE(ABORT, 'monitoring_events is append-only: the audit log is never changed or deleted');
END;
CREATE TRIGGER monitoring_events_no_delete BEFORE DELETE ON monitoring_events
BEGIN
    SELECT RAISE(ABORT, 'monitoring_events is append-only: the audit log is never changed or deleted');
END;
CREATE TRIGGER attachments_no_update BEFORE UPDATE ON attachments
BEGIN
    SELECT RAISE(ABORT, 'attachments is append-only: stored files are never changed or deleted');
END;
CREATE TRIGGER attachments_no_delete BEFORE DELETE ON attachments
BEGIN
    SELECT RAISE(ABORT, 'attachments is append-only: stored files are never changed or deleted');
END;

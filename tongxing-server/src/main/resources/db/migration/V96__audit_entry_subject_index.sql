-- A person's own copy of their data ("download my data") reads the audit entries about them.
CREATE INDEX ix_audit_entry_subject ON audit_entry (subject);

-- Account deletion (注销) requests. Ids and times only: the row stays after the deletion as its record.
CREATE TABLE deletion_request (
    id varchar(64) NOT NULL,
    user_id varchar(64) NOT NULL,
    -- user_id while pending, NULL afterwards: at most one pending request per person, on any database
    pending_user_id varchar(64),
    state varchar(12) NOT NULL,
    requested_at timestamp with time zone NOT NULL,
    due_at timestamp with time zone NOT NULL,
    deadline_at timestamp with time zone NOT NULL,
    cancelled_at timestamp with time zone,
    completed_at timestamp with time zone,
    completed_by varchar(100),
    PRIMARY KEY (id),
    CONSTRAINT uq_deletion_request_pending UNIQUE (pending_user_id)
);
CREATE INDEX ix_deletion_request_due ON deletion_request (state, due_at);
CREATE INDEX ix_deletion_request_user ON deletion_request (user_id);

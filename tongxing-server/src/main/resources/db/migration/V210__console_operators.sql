-- Operators of the console: ordinary accounts holding operator roles (viewer, support, admin).
-- Roles granted in the console or by `operator grant`; those of tongxing.admin.operators[] are read from
-- the configuration at each check and never stored here.
CREATE TABLE console_operator (
    account_id VARCHAR(64) PRIMARY KEY,
    roles VARCHAR(64) NOT NULL,
    granted_by VARCHAR(200) NOT NULL,
    granted_at TIMESTAMP WITH TIME ZONE NOT NULL
);

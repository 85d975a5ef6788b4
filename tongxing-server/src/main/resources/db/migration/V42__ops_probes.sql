-- Results of the availability probes: a cheap, harmless call to each upstream (and to the gateway itself),
-- made on a schedule by every node. Kept a week.
CREATE TABLE ops_probe_result (
    probe varchar(80) NOT NULL,
    checked_at timestamp with time zone NOT NULL,
    node varchar(64) NOT NULL,
    ok boolean NOT NULL,
    latency_ms bigint NOT NULL,
    detail varchar(300),
    PRIMARY KEY (probe, checked_at, node)
);
CREATE INDEX ix_ops_probe_result_time ON ops_probe_result (checked_at);

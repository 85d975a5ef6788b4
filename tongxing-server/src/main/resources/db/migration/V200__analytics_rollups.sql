-- Login analytics: compact roll-ups per hour, added to (never overwritten) by every node's periodic flush.
-- No personal data: counts per method, upstream app, client and platform ('-' when unknown).
CREATE TABLE analytics_login_hour (
    hour_start timestamp with time zone NOT NULL,
    method varchar(80) NOT NULL,
    app varchar(80) NOT NULL,
    client varchar(100) NOT NULL,
    platform varchar(20) NOT NULL,
    attempts bigint NOT NULL,
    successes bigint NOT NULL,
    PRIMARY KEY (hour_start, method, app, client, platform)
);
-- Failure causes, same dimensions.
CREATE TABLE analytics_cause_hour (
    hour_start timestamp with time zone NOT NULL,
    method varchar(80) NOT NULL,
    app varchar(80) NOT NULL,
    client varchar(100) NOT NULL,
    platform varchar(20) NOT NULL,
    cause varchar(40) NOT NULL,
    failures bigint NOT NULL,
    PRIMARY KEY (hour_start, method, app, client, platform, cause)
);
-- Time to sign in as a log-scale histogram: bin b counts durations in [1.05^b, 1.05^(b+1)) milliseconds.
CREATE TABLE analytics_latency_hour (
    hour_start timestamp with time zone NOT NULL,
    method varchar(80) NOT NULL,
    app varchar(80) NOT NULL,
    client varchar(100) NOT NULL,
    platform varchar(20) NOT NULL,
    bin smallint NOT NULL,
    samples bigint NOT NULL,
    PRIMARY KEY (hour_start, method, app, client, platform, bin)
);
-- The funnel: how many logins reached each step.
CREATE TABLE analytics_funnel_hour (
    hour_start timestamp with time zone NOT NULL,
    client varchar(100) NOT NULL,
    platform varchar(20) NOT NULL,
    step varchar(30) NOT NULL,
    reached bigint NOT NULL,
    PRIMARY KEY (hour_start, client, platform, step)
);
-- New and returning people per day and method (a person counts once a day).
CREATE TABLE analytics_people_day (
    day_start date NOT NULL,
    method varchar(80) NOT NULL,
    new_people bigint NOT NULL,
    returning_people bigint NOT NULL,
    PRIMARY KEY (day_start, method)
);
-- Text messages sent per provider and hour, for the cost per successful login.
CREATE TABLE analytics_sms_hour (
    hour_start timestamp with time zone NOT NULL,
    provider varchar(40) NOT NULL,
    sent bigint NOT NULL,
    PRIMARY KEY (hour_start, provider)
);
-- Retention cohorts: one row per person, keyed by a keyed hash of the account id (no account id, no
-- personal data), removed when the account is deleted. Days are UTC epoch days (days since 1970-01-01).
CREATE TABLE analytics_person (
    pid varchar(100) NOT NULL,
    first_day integer NOT NULL,
    first_method varchar(80) NOT NULL,
    last_day integer NOT NULL,
    PRIMARY KEY (pid)
);
CREATE INDEX ix_analytics_person_first ON analytics_person (first_day);

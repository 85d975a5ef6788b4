-- Day roll-ups beside the hour ones: every answer is for whole UTC days, so a 90-day range reads 90 rows per
-- combination instead of 2,160 (issue 14: a 90-day answer in under 200 ms over a year of data). Each flush adds
-- to the hour and the day row in one transaction, so the two always agree.
CREATE TABLE analytics_login_day (
    day_start date NOT NULL,
    method varchar(80) NOT NULL,
    app varchar(80) NOT NULL,
    client varchar(100) NOT NULL,
    platform varchar(20) NOT NULL,
    attempts bigint NOT NULL,
    successes bigint NOT NULL,
    PRIMARY KEY (day_start, method, app, client, platform)
);
CREATE TABLE analytics_cause_day (
    day_start date NOT NULL,
    method varchar(80) NOT NULL,
    app varchar(80) NOT NULL,
    client varchar(100) NOT NULL,
    platform varchar(20) NOT NULL,
    cause varchar(40) NOT NULL,
    failures bigint NOT NULL,
    PRIMARY KEY (day_start, method, app, client, platform, cause)
);
CREATE TABLE analytics_latency_day (
    day_start date NOT NULL,
    method varchar(80) NOT NULL,
    app varchar(80) NOT NULL,
    client varchar(100) NOT NULL,
    platform varchar(20) NOT NULL,
    bin smallint NOT NULL,
    samples bigint NOT NULL,
    PRIMARY KEY (day_start, method, app, client, platform, bin)
);
CREATE TABLE analytics_funnel_day (
    day_start date NOT NULL,
    client varchar(100) NOT NULL,
    platform varchar(20) NOT NULL,
    step varchar(30) NOT NULL,
    reached bigint NOT NULL,
    PRIMARY KEY (day_start, client, platform, step)
);
CREATE TABLE analytics_sms_day (
    day_start date NOT NULL,
    provider varchar(40) NOT NULL,
    sent bigint NOT NULL,
    PRIMARY KEY (day_start, provider)
);
-- Retention cohorts as counts per first day (UTC epoch day) and first method: how many people, and how many
-- of them signed in again 1, 7 and 30 or more days after their first day. Kept in step with analytics_person
-- (a person's arrival, a later sign-in crossing a threshold, their deletion, the retention purge), so the
-- retention answer reads one row per day and method instead of one per person.
CREATE TABLE analytics_cohort_day (
    first_day integer NOT NULL,
    first_method varchar(80) NOT NULL,
    people bigint NOT NULL,
    returned_1d bigint NOT NULL,
    returned_7d bigint NOT NULL,
    returned_30d bigint NOT NULL,
    PRIMARY KEY (first_day, first_method)
);

INSERT INTO analytics_login_day (day_start, method, app, client, platform, attempts, successes)
SELECT CAST(hour_start AT TIME ZONE 'UTC' AS DATE), method, app, client, platform, SUM(attempts), SUM(successes)
FROM analytics_login_hour GROUP BY CAST(hour_start AT TIME ZONE 'UTC' AS DATE), method, app, client, platform;

INSERT INTO analytics_cause_day (day_start, method, app, client, platform, cause, failures)
SELECT CAST(hour_start AT TIME ZONE 'UTC' AS DATE), method, app, client, platform, cause, SUM(failures)
FROM analytics_cause_hour GROUP BY CAST(hour_start AT TIME ZONE 'UTC' AS DATE), method, app, client, platform, cause;

INSERT INTO analytics_latency_day (day_start, method, app, client, platform, bin, samples)
SELECT CAST(hour_start AT TIME ZONE 'UTC' AS DATE), method, app, client, platform, bin, SUM(samples)
FROM analytics_latency_hour GROUP BY CAST(hour_start AT TIME ZONE 'UTC' AS DATE), method, app, client, platform, bin;

INSERT INTO analytics_funnel_day (day_start, client, platform, step, reached)
SELECT CAST(hour_start AT TIME ZONE 'UTC' AS DATE), client, platform, step, SUM(reached)
FROM analytics_funnel_hour GROUP BY CAST(hour_start AT TIME ZONE 'UTC' AS DATE), client, platform, step;

INSERT INTO analytics_sms_day (day_start, provider, sent)
SELECT CAST(hour_start AT TIME ZONE 'UTC' AS DATE), provider, SUM(sent)
FROM analytics_sms_hour GROUP BY CAST(hour_start AT TIME ZONE 'UTC' AS DATE), provider;

INSERT INTO analytics_cohort_day (first_day, first_method, people, returned_1d, returned_7d, returned_30d)
SELECT first_day, first_method, COUNT(*),
       SUM(CASE WHEN last_day >= first_day + 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN last_day >= first_day + 7 THEN 1 ELSE 0 END),
       SUM(CASE WHEN last_day >= first_day + 30 THEN 1 ELSE 0 END)
FROM analytics_person GROUP BY first_day, first_method;

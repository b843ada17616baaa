/**
 * PostgreSQL's versioned schema migrations, numbered as SQLite's
 * (store/sqlite/migrations.ts): version N is the same schema on both engines.
 * Applied under an advisory lock, so nodes starting together migrate once
 * (postgres-database.ts, migrate). Never edit a released migration.
 *
 * Text is `COLLATE "C"`, so ORDER BY compares code points as SQLite does;
 * times are milliseconds since the epoch in BIGINT, booleans 0/1 in INTEGER,
 * so one row mapping serves both engines. `fold` and `instr` are the two
 * functions the shared SQL uses that PostgreSQL lacks under those names.
 */
export const migrations: readonly string[] = [
  /* 1: event log, unique constraints and the first projections */ `
  CREATE FUNCTION fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower($1 COLLATE "und-x-icu") $$;
  CREATE FUNCTION instr(text, text) RETURNS integer LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT strpos($1, $2) $$;
  CREATE TABLE events (
    position       BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    aggregate_type TEXT    COLLATE "C" NOT NULL,
    aggregate_id   TEXT    COLLATE "C" NOT NULL,
    sequence       INTEGER NOT NULL,
    type           TEXT    COLLATE "C" NOT NULL,
    payload        TEXT    NOT NULL,
    resource_owner TEXT    COLLATE "C" NOT NULL,
    creator        TEXT    COLLATE "C" NOT NULL,
    created_at     BIGINT  NOT NULL,
    CONSTRAINT events_sequence UNIQUE (aggregate_type, aggregate_id, sequence)
  );
  CREATE TABLE unique_constraints (
    kind TEXT COLLATE "C" NOT NULL,
    key  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (kind, key)
  );
  CREATE TABLE orgs (
    id            TEXT    COLLATE "C" PRIMARY KEY,
    name          TEXT    COLLATE "C" NOT NULL,
    sequence      INTEGER NOT NULL,
    creation_date BIGINT  NOT NULL
  );
  CREATE TABLE actions (
    id                TEXT    COLLATE "C" PRIMARY KEY,
    resource_owner    TEXT    COLLATE "C" NOT NULL,
    name              TEXT    COLLATE "C" NOT NULL,
    script            TEXT    NOT NULL,
    timeout_ns        BIGINT  NOT NULL,
    allowed_to_fail   INTEGER NOT NULL,
    state             TEXT    COLLATE "C" NOT NULL,
    sequence          INTEGER NOT NULL,
    creation_date     BIGINT  NOT NULL,
    change_date       BIGINT  NOT NULL,
    creation_position BIGINT  NOT NULL
  );
  CREATE INDEX actions_by_owner ON actions (resource_owner, creation_position);
  CREATE TABLE flows (
    resource_owner TEXT    COLLATE "C" NOT NULL,
    flow_type      TEXT    COLLATE "C" NOT NULL,
    sequence       INTEGER NOT NULL,
    creation_date  BIGINT  NOT NULL,
    change_date    BIGINT  NOT NULL,
    PRIMARY KEY (resource_owner, flow_type)
  );
  CREATE TABLE flow_triggers (
    resource_owner TEXT    COLLATE "C" NOT NULL,
    flow_type      TEXT    COLLATE "C" NOT NULL,
    trigger_type   TEXT    COLLATE "C" NOT NULL,
    position       INTEGER NOT NULL,
    action_id      TEXT    COLLATE "C" NOT NULL,
    PRIMARY KEY (resource_owner, flow_type, trigger_type, position)
  );
  CREATE INDEX flow_triggers_by_action ON flow_triggers (action_id);
  CREATE TABLE tokens (
    id           TEXT   COLLATE "C" PRIMARY KEY,
    secret_hash  TEXT   COLLATE "C" NOT NULL UNIQUE,
    org_id       TEXT   COLLATE "C" NOT NULL,
    subject      TEXT   COLLATE "C" NOT NULL,
    roles        TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT,
    last_used_at BIGINT,
    revoked_at   BIGINT
  );
  `,
  /* 2: execution records (a log, not domain state: not event-sourced) */ `
  CREATE TABLE executions (
    id             TEXT   COLLATE "C" PRIMARY KEY,
    resource_owner TEXT   COLLATE "C" NOT NULL,
    flow_type      TEXT   COLLATE "C" NOT NULL,
    trigger_type   TEXT   COLLATE "C" NOT NULL,
    started_at     BIGINT NOT NULL,
    record         TEXT   NOT NULL
  );
  CREATE INDEX executions_by_owner ON executions (resource_owner, started_at DESC, id DESC);
  CREATE TABLE execution_runs (
    execution_id TEXT    COLLATE "C" NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    action_id    TEXT    COLLATE "C" NOT NULL,
    outcome      TEXT    COLLATE "C" NOT NULL,
    PRIMARY KEY (execution_id, position)
  );
  CREATE INDEX execution_runs_by_action ON execution_runs (action_id);
  `,
  /* 3: write-model snapshots (command/write-model.ts) */ `
  CREATE TABLE snapshots (
    aggregate_type TEXT    COLLATE "C" NOT NULL,
    aggregate_id   TEXT    COLLATE "C" NOT NULL,
    name           TEXT    COLLATE "C" NOT NULL,
    sequence       INTEGER NOT NULL,
    state          TEXT    NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id, name)
  );
  `,
  /* 4: ZITADEL targets and their signing keys, sealed (store/secret-box.ts) */ `
  CREATE TABLE zitadel_targets (
    id                 TEXT    COLLATE "C" PRIMARY KEY,
    name               TEXT    COLLATE "C" NOT NULL,
    payload_type       TEXT    COLLATE "C" NOT NULL,
    org_id             TEXT    COLLATE "C" NOT NULL,
    issuer             TEXT    COLLATE "C" NOT NULL,
    failure_policy     TEXT    COLLATE "C" NOT NULL,
    public_key_pem     TEXT    NOT NULL,
    sealed_private_key TEXT    NOT NULL,
    sequence           INTEGER NOT NULL,
    creation_date      BIGINT  NOT NULL,
    change_date        BIGINT  NOT NULL,
    creation_position  BIGINT  NOT NULL
  );
  CREATE INDEX zitadel_targets_by_creation ON zitadel_targets (creation_position);
  CREATE TABLE zitadel_target_keys (
    target_id  TEXT   COLLATE "C" NOT NULL REFERENCES zitadel_targets (id) ON DELETE CASCADE,
    key_id     TEXT   COLLATE "C" NOT NULL,
    sealed_key TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (target_id, key_id)
  );
  `,
  /* 5: the ZITADEL target whose endpoint ran an execution ('' for RunTrigger) */ `
  ALTER TABLE executions ADD COLUMN zitadel_target_id TEXT COLLATE "C" NOT NULL DEFAULT '';
  CREATE INDEX executions_by_zitadel_target ON executions (resource_owner, zitadel_target_id, started_at DESC, id DESC);
  `,
  /* 6: leased Sonyflake machine ids (store/machine-lease.ts) and jobs one node runs at a time (store/schedule.ts) */ `
  CREATE TABLE machine_leases (
    machine_id INTEGER PRIMARY KEY,
    holder     TEXT    COLLATE "C" NOT NULL,
    expires_at BIGINT  NOT NULL
  );
  CREATE TABLE schedules (
    name    TEXT   COLLATE "C" PRIMARY KEY,
    next_at BIGINT NOT NULL
  );
  `,
  /* 7: each org's number of executions, kept with every write and delete, so the cap per org needs no count (store/execution-records.ts) */ `
  CREATE TABLE execution_counts (
    resource_owner TEXT   COLLATE "C" PRIMARY KEY,
    total          BIGINT  NOT NULL
  );
  INSERT INTO execution_counts (resource_owner, total) SELECT resource_owner, COUNT(*) FROM executions GROUP BY resource_owner;
  `,
  /* 8: each org's secrets, the values sealed (store/secret-box.ts, docs/secrets.md) */ `
  CREATE TABLE secrets (
    resource_owner TEXT    COLLATE "C" NOT NULL,
    name           TEXT    COLLATE "C" NOT NULL,
    sealed_value   TEXT    NOT NULL,
    creation_date  BIGINT  NOT NULL,
    created_by     TEXT    NOT NULL,
    change_date    BIGINT  NOT NULL,
    changed_by     TEXT    NOT NULL,
    sequence       INTEGER NOT NULL,
    PRIMARY KEY (resource_owner, name)
  );
  `,
  /* 9: each action's current version (event/action-versions.ts): 1 for the create, one more per update; counted from the events for existing actions */ `
  ALTER TABLE actions ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
  UPDATE actions SET version = (
    SELECT COUNT(*) FROM events e
    WHERE e.aggregate_type = 'action' AND e.aggregate_id = actions.id AND e.type IN ('action.added', 'action.changed'));
  `,
];

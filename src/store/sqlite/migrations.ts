/**
 * SQLite's versioned schema migrations, applied in order at start, all
 * pending ones in one transaction (sqlite-database.ts, migrate); `PRAGMA
 * user_version` records the last one applied. Never edit a released
 * migration: add a new one, here and in store/postgres/migrations.ts under the
 * same number, so a version means the same schema on both engines.
 */
export const migrations: readonly string[] = [
  /* 1: event log, unique constraints and the first projections */ `
  CREATE TABLE events (
    position       INTEGER PRIMARY KEY AUTOINCREMENT,
    aggregate_type TEXT    NOT NULL,
    aggregate_id   TEXT    NOT NULL,
    sequence       INTEGER NOT NULL,
    type           TEXT    NOT NULL,
    payload        TEXT    NOT NULL,
    resource_owner TEXT    NOT NULL,
    creator        TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    UNIQUE (aggregate_type, aggregate_id, sequence)
  );
  CREATE TABLE unique_constraints (
    kind TEXT NOT NULL,
    key  TEXT NOT NULL,
    PRIMARY KEY (kind, key)
  ) WITHOUT ROWID;
  CREATE TABLE orgs (
    id            TEXT    PRIMARY KEY,
    name          TEXT    NOT NULL,
    sequence      INTEGER NOT NULL,
    creation_date INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE actions (
    id                TEXT    PRIMARY KEY,
    resource_owner    TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    script            TEXT    NOT NULL,
    timeout_ns        INTEGER NOT NULL,
    allowed_to_fail   INTEGER NOT NULL,
    state             TEXT    NOT NULL,
    sequence          INTEGER NOT NULL,
    creation_date     INTEGER NOT NULL,
    change_date       INTEGER NOT NULL,
    creation_position INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX actions_by_owner ON actions (resource_owner, creation_position);
  CREATE TABLE flows (
    resource_owner TEXT    NOT NULL,
    flow_type      TEXT    NOT NULL,
    sequence       INTEGER NOT NULL,
    creation_date  INTEGER NOT NULL,
    change_date    INTEGER NOT NULL,
    PRIMARY KEY (resource_owner, flow_type)
  ) WITHOUT ROWID;
  CREATE TABLE flow_triggers (
    resource_owner TEXT    NOT NULL,
    flow_type      TEXT    NOT NULL,
    trigger_type   TEXT    NOT NULL,
    position       INTEGER NOT NULL,
    action_id      TEXT    NOT NULL,
    PRIMARY KEY (resource_owner, flow_type, trigger_type, position)
  ) WITHOUT ROWID;
  CREATE INDEX flow_triggers_by_action ON flow_triggers (action_id);
  CREATE TABLE tokens (
    id           TEXT    PRIMARY KEY,
    secret_hash  TEXT    NOT NULL UNIQUE,
    org_id       TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    roles        TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    last_used_at INTEGER,
    revoked_at   INTEGER
  ) WITHOUT ROWID;
  `,
  /* 2: execution records (a log, not domain state: not event-sourced) */ `
  CREATE TABLE executions (
    id             TEXT    PRIMARY KEY,
    resource_owner TEXT    NOT NULL,
    flow_type      TEXT    NOT NULL,
    trigger_type   TEXT    NOT NULL,
    started_at     INTEGER NOT NULL,
    record         TEXT    NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX executions_by_owner ON executions (resource_owner, started_at DESC, id DESC);
  CREATE TABLE execution_runs (
    execution_id TEXT    NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    action_id    TEXT    NOT NULL,
    outcome      TEXT    NOT NULL,
    PRIMARY KEY (execution_id, position)
  ) WITHOUT ROWID;
  CREATE INDEX execution_runs_by_action ON execution_runs (action_id);
  `,
  /* 3: write-model snapshots (command/write-model.ts); an aggregate without one is folded from its events */ `
  CREATE TABLE snapshots (
    aggregate_type TEXT    NOT NULL,
    aggregate_id   TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    sequence       INTEGER NOT NULL,
    state          TEXT    NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id, name)
  ) WITHOUT ROWID;
  `,
  /* 4: ZITADEL targets (instance-level) and their signing keys, the keys and the JWE private key sealed (store/secret-box.ts) */ `
  CREATE TABLE zitadel_targets (
    id                 TEXT    PRIMARY KEY,
    name               TEXT    NOT NULL,
    payload_type       TEXT    NOT NULL,
    org_id             TEXT    NOT NULL,
    issuer             TEXT    NOT NULL,
    failure_policy     TEXT    NOT NULL,
    public_key_pem     TEXT    NOT NULL,
    sealed_private_key TEXT    NOT NULL,
    sequence           INTEGER NOT NULL,
    creation_date      INTEGER NOT NULL,
    change_date        INTEGER NOT NULL,
    creation_position  INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX zitadel_targets_by_creation ON zitadel_targets (creation_position);
  CREATE TABLE zitadel_target_keys (
    target_id  TEXT    NOT NULL REFERENCES zitadel_targets (id) ON DELETE CASCADE,
    key_id     TEXT    NOT NULL,
    sealed_key TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (target_id, key_id)
  ) WITHOUT ROWID;
  `,
  /* 5: the ZITADEL target whose endpoint ran an execution ('' for RunTrigger), for ListExecutions' filter */ `
  ALTER TABLE executions ADD COLUMN zitadel_target_id TEXT NOT NULL DEFAULT '';
  CREATE INDEX executions_by_zitadel_target ON executions (resource_owner, zitadel_target_id, started_at DESC, id DESC);
  `,
  /* 6: leased Sonyflake machine ids (store/machine-lease.ts) and jobs one node runs at a time (store/schedule.ts) */ `
  CREATE TABLE machine_leases (
    machine_id INTEGER PRIMARY KEY,
    holder     TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE schedules (
    name    TEXT    PRIMARY KEY,
    next_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  /* 7: each org's number of executions, kept with every write and delete, so the cap per org needs no count (store/execution-records.ts) */ `
  CREATE TABLE execution_counts (
    resource_owner TEXT   PRIMARY KEY,
    total          INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO execution_counts (resource_owner, total) SELECT resource_owner, COUNT(*) FROM executions GROUP BY resource_owner;
  `,
  /* 8: each org's secrets, the values sealed (store/secret-box.ts, docs/secrets.md) */ `
  CREATE TABLE secrets (
    resource_owner TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    sealed_value   TEXT    NOT NULL,
    creation_date  INTEGER NOT NULL,
    created_by     TEXT    NOT NULL,
    change_date    INTEGER NOT NULL,
    changed_by     TEXT    NOT NULL,
    sequence       INTEGER NOT NULL,
    PRIMARY KEY (resource_owner, name)
  ) WITHOUT ROWID;
  `,
  /* 9: each action's current version (event/action-versions.ts): 1 for the create, one more per update; counted from the events for existing actions */ `
  ALTER TABLE actions ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
  UPDATE actions SET version = (
    SELECT COUNT(*) FROM events e
    WHERE e.aggregate_type = 'action' AND e.aggregate_id = actions.id AND e.type IN ('action.added', 'action.changed'));
  `,
];

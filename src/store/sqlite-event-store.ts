import type { EventStore, EventTransaction } from "../event/event-store.js";
import type { AggregateType, NewEvent, StoredEvent, UniqueConstraint } from "../event/events.js";
import type { Db } from "./database.js";
import { projectEvent } from "./projections/index.js";

interface EventRow {
  position: number;
  aggregate_type: AggregateType;
  aggregate_id: string;
  sequence: number;
  type: string;
  payload: string;
  resource_owner: string;
  creator: string;
  created_at: number;
}

function eventFromRow(row: EventRow): StoredEvent {
  return {
    position: row.position,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    sequence: row.sequence,
    type: row.type,
    payload: JSON.parse(row.payload),
    resourceOwner: row.resource_owner,
    creator: row.creator,
    createdAt: new Date(row.created_at),
  } as StoredEvent;
}

/**
 * The event log in SQLite. Each `transact` is one IMMEDIATE transaction, so a
 * command's read-decide-append cannot interleave with another writer, in this
 * process or another; projections are updated inside it.
 */
export function createSqliteEventStore(db: Db, now: () => Date = () => new Date()): EventStore {
  const readStmt = db.prepare<[string, string], EventRow>(
    "SELECT * FROM events WHERE aggregate_type = ? AND aggregate_id = ? ORDER BY sequence",
  );
  const lastSequenceStmt = db
    .prepare<[string, string], number>(
      "SELECT COALESCE(MAX(sequence), 0) FROM events WHERE aggregate_type = ? AND aggregate_id = ?",
    )
    .pluck();
  const insertStmt = db.prepare(
    `INSERT INTO events (aggregate_type, aggregate_id, sequence, type, payload, resource_owner, creator, created_at)
     VALUES (@aggregateType, @aggregateId, @sequence, @type, @payload, @resourceOwner, @creator, @createdAt)`,
  );
  const addUniqueStmt = db.prepare("INSERT OR IGNORE INTO unique_constraints (kind, key) VALUES (?, ?)");
  const removeUniqueStmt = db.prepare("DELETE FROM unique_constraints WHERE kind = ? AND key = ?");

  function applyConstraint(c: UniqueConstraint): void {
    if (c.op === "remove") {
      removeUniqueStmt.run(c.kind, c.key);
      return;
    }
    if (addUniqueStmt.run(c.kind, c.key).changes === 0) {
      throw c.conflict?.() ?? new Error(`unique constraint ${c.kind} violated`);
    }
  }

  function append(events: NewEvent[]): StoredEvent[] {
    const createdAt = now();
    return events.map((event) => {
      event.uniqueConstraints?.forEach(applyConstraint);
      const sequence = lastSequenceStmt.get(event.aggregateType, event.aggregateId)! + 1;
      const { uniqueConstraints: _ignored, ...rest } = event;
      const { lastInsertRowid } = insertStmt.run({
        ...rest,
        sequence,
        payload: JSON.stringify(event.payload),
        createdAt: createdAt.getTime(),
      });
      const stored = { ...rest, sequence, createdAt, position: Number(lastInsertRowid) } as StoredEvent;
      projectEvent(db, stored);
      return stored;
    });
  }

  const tx: EventTransaction = {
    readAggregate: (type, id) => readStmt.all(type, id).map(eventFromRow),
    append,
  };

  return {
    transact: (fn) => db.transaction(() => fn(tx)).immediate(),
  };
}

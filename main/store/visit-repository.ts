import { randomUUID } from 'node:crypto';
import type { PatientContext, Visit, VisitState } from '../../shared/domain/visit.js';
import { PatientContext as PatientContextSchema } from '../../shared/domain/visit.js';
import type { VisitId } from '../../shared/ids.js';
import { IntegrityError } from './errors.js';
import type { Store } from './store.js';

export interface VisitInsert {
  readonly patientId: string;
  readonly encounterId?: string | undefined;
  readonly patient: PatientContext;
  readonly createdBy: string;
}

export interface VisitQuery {
  readonly since?: string | undefined;
  readonly states?: readonly VisitState[] | undefined;
  readonly limit: number;
}

/**
 * A listed visit whose encrypted fields failed their integrity check: only its plaintext columns are
 * known. The list shows it as damaged instead of failing for every visit.
 */
export interface DamagedVisit {
  readonly id: VisitId;
  readonly state: VisitState;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly damaged: true;
}

/**
 * Reading and creating visits; services use this interface, never SQL, so practice mode can swap in
 * PostgreSQL. A visit's state changes only through the lifecycle (main/visits/lifecycle.ts), which
 * alone holds the state column below.
 */
export interface VisitRecords {
  insert(visit: VisitInsert): Visit;
  get(id: VisitId): Visit | undefined;
  list(query: VisitQuery): (Visit | DamagedVisit)[];
}

/**
 * The raw state column. Only main/visits/lifecycle.ts may hold one (test/unit/visits/lifecycle-owner.test.ts
 * checks it): it writes whatever it is told, the lifecycle decides what is legal.
 */
export interface VisitStateColumn {
  /** The visit's state, or undefined when there is no such visit. */
  read(id: VisitId): VisitState | undefined;
  /**
   * Compare-and-set: moves the visit to `to` only while it is in one of `from`, so a recording and a
   * recovery sweep (or two processes) never silently overwrite each other's move. Returns false,
   * changing nothing, when the visit is missing or in another state.
   */
  compareAndSet(id: VisitId, from: readonly VisitState[], to: VisitState): boolean;
}

export interface VisitStateColumnOptions {
  /**
   * Told of every state change once it is committed. The composition root sends `visit:changed`
   * from here, so no service that moves a visit can forget to tell the UI.
   */
  readonly onStateChanged?: (visitId: VisitId, state: VisitState) => void;
}

interface Row {
  id: string;
  state: VisitState;
  created_at: string;
  updated_at: string;
  created_by: string;
  patient_ref: Buffer;
  encounter_ref: Buffer | null;
  patient_context: Buffer;
}

const TABLE = 'visits';

export function createSqliteVisitStateColumn(store: Store, options: VisitStateColumnOptions = {}): VisitStateColumn {
  const { db, clock } = store;
  const selectState = db.prepare('SELECT state FROM visits WHERE id = ?');
  return {
    read(id) {
      return (selectState.get(id) as { state: VisitState } | undefined)?.state;
    },
    compareAndSet(id, from, to) {
      if (from.length === 0) return false;
      const sql = `UPDATE visits SET state = ?, updated_at = ? WHERE id = ? AND state IN (${from.map(() => '?').join(', ')})`;
      const moved = db.prepare(sql).run(to, clock.now().toISOString(), id, ...from).changes === 1;
      const listener = options.onStateChanged;
      if (moved && listener) store.afterCommit(() => listener(id, to));
      return moved;
    },
  };
}

export function createSqliteVisitRepository(store: Store): VisitRecords {
  const { db, cipher, clock } = store;
  const at = (rowId: string, column: string) => ({ table: TABLE, rowId, column });

  const insertRow = db.prepare(
    `INSERT INTO visits (id, state, created_at, updated_at, created_by, patient_ref, encounter_ref, patient_context)
     VALUES (@id, @state, @created_at, @updated_at, @created_by, @patient_ref, @encounter_ref, @patient_context)`,
  );
  const selectOne = db.prepare('SELECT * FROM visits WHERE id = ?');

  function decode(row: Row): Visit {
    const text = (column: 'patient_ref' | 'encounter_ref', value: Buffer) => cipher.open(value, at(row.id, column)).toString('utf8');
    const patient = PatientContextSchema.safeParse(cipher.openJson(row.patient_context, at(row.id, 'patient_context')));
    if (!patient.success) throw new IntegrityError(at(row.id, 'patient_context'));
    return {
      id: row.id as VisitId,
      patientId: text('patient_ref', row.patient_ref),
      ...(row.encounter_ref ? { encounterId: text('encounter_ref', row.encounter_ref) } : {}),
      patient: patient.data,
      state: row.state,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      createdBy: row.created_by,
    };
  }

  return {
    insert(visit) {
      const id = randomUUID();
      const now = clock.now().toISOString();
      insertRow.run({
        id,
        state: 'not_started',
        created_at: now,
        updated_at: now,
        created_by: visit.createdBy,
        patient_ref: cipher.seal(Buffer.from(visit.patientId, 'utf8'), at(id, 'patient_ref')),
        encounter_ref: visit.encounterId ? cipher.seal(Buffer.from(visit.encounterId, 'utf8'), at(id, 'encounter_ref')) : null,
        patient_context: cipher.sealJson(visit.patient, at(id, 'patient_context')),
      });
      return decode(selectOne.get(id) as Row);
    },
    get(id) {
      const row = selectOne.get(id) as Row | undefined;
      return row ? decode(row) : undefined;
    },
    list(query) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.since) {
        where.push('created_at >= ?');
        params.push(new Date(query.since).toISOString());
      }
      if (query.states?.length) {
        where.push(`state IN (${query.states.map(() => '?').join(', ')})`);
        params.push(...query.states);
      }
      const sql = `SELECT * FROM visits ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id LIMIT ?`;
      return (db.prepare(sql).all(...params, query.limit) as Row[]).map((row) => {
        try {
          return decode(row);
        } catch (error) {
          if (!(error instanceof IntegrityError)) throw error;
          const damaged: DamagedVisit = {
            id: row.id as VisitId,
            state: row.state,
            createdAt: row.created_at,
            updatedAt: row.updated_at,
            damaged: true,
          };
          return damaged;
        }
      });
    },
  };
}

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Consent } from '../../shared/domain/capture.js';
import { ConsentGiver, ConsentMethod } from '../../shared/domain/capture.js';
import type { VisitId } from '../../shared/ids.js';
import { IsoDateTime } from '../../shared/ids.js';
import { IntegrityError } from './errors.js';
import type { Store } from './store.js';

export interface ConsentInsert {
  readonly visitId: VisitId;
  readonly method: Consent['method'];
  readonly givenBy: Consent['givenBy'];
  readonly obtainedAt: string;
  readonly confirmedBy: string;
  readonly representativeName?: string | undefined;
  readonly note?: string | undefined;
}

/** Consent records of a visit, kept as history: a later record adds to it, nothing is overwritten. */
export interface ConsentRepository {
  insert(consent: ConsentInsert): Consent;
  /** The most recent record, if any. */
  latest(visitId: VisitId): Consent | undefined;
}

/** Everything but ids, the recording time and our user id is sealed: names, notes and the time of consent are PHI. */
const Details = z.object({
  method: ConsentMethod,
  givenBy: ConsentGiver,
  obtainedAt: IsoDateTime,
  representativeName: z.string().optional(),
  note: z.string().optional(),
});

interface Row {
  id: string;
  visit_id: string;
  recorded_at: string;
  confirmed_by: string;
  details: Buffer;
}

export function createSqliteConsentRepository(store: Store): ConsentRepository {
  const { db, cipher, clock } = store;
  const at = (id: string) => ({ table: 'visit_consents', rowId: id, column: 'details' });
  const insertRow = db.prepare('INSERT INTO visit_consents (id, visit_id, recorded_at, confirmed_by, details) VALUES (?, ?, ?, ?, ?)');
  const selectOne = db.prepare('SELECT * FROM visit_consents WHERE id = ?');
  const selectLatest = db.prepare('SELECT * FROM visit_consents WHERE visit_id = ? ORDER BY recorded_at DESC LIMIT 1');

  function decode(row: Row): Consent {
    const details = Details.safeParse(cipher.openJson(row.details, at(row.id)));
    if (!details.success) throw new IntegrityError(at(row.id));
    return { id: row.id, visitId: row.visit_id as VisitId, confirmedBy: row.confirmed_by, recordedAt: row.recorded_at, ...details.data };
  }

  return {
    insert(consent) {
      const id = randomUUID();
      const details = Details.parse({
        method: consent.method,
        givenBy: consent.givenBy,
        obtainedAt: consent.obtainedAt,
        representativeName: consent.representativeName,
        note: consent.note,
      });
      insertRow.run(id, consent.visitId, clock.now().toISOString(), consent.confirmedBy, cipher.sealJson(details, at(id)));
      return decode(selectOne.get(id) as Row);
    },
    latest(visitId) {
      const row = selectLatest.get(visitId) as Row | undefined;
      return row ? decode(row) : undefined;
    },
  };
}

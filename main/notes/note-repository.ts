import type { Attestation, Note } from '../../shared/domain/note.js';
import { z } from 'zod';
import { Note as NoteSchema } from '../../shared/domain/note.js';
import type { VisitId } from '../../shared/ids.js';
import type { EvidenceBasis } from '../evidence/evidence-basis.js';
import { IntegrityError } from '../store/errors.js';
import type { Store } from '../store/store.js';

const BasisSchema = z.record(z.string(), z.string());

export type RevisionKind = 'draft' | 'edit' | 'addendum';

export interface RevisionSummary {
  readonly revision: number;
  readonly at: string;
  readonly author: string;
  readonly kind: RevisionKind;
}

export interface StoredNote {
  readonly note: Note;
  readonly signedRevision: number | undefined;
  /** What the transcript said when this note was last drafted; undefined for notes older than bases. */
  readonly basis: EvidenceBasis | undefined;
}

/** Notes and every revision of them, encrypted; services use this, never SQL. */
export interface NoteRepository {
  get(visitId: VisitId): StoredNote | undefined;
  /**
   * Writes the next revision (current + 1) and makes it current. The caller checks the base revision.
   * A draft passes the transcript it was drafted from as `basis`; edits keep the basis there is.
   */
  saveRevision(
    visitId: VisitId,
    note: Omit<Note, 'revision' | 'updatedAt' | 'updatedBy'>,
    author: string,
    kind: RevisionKind,
    basis?: EvidenceBasis,
  ): Note;
  revisions(visitId: VisitId): RevisionSummary[];
  revision(visitId: VisitId, revision: number): Note | undefined;
  attest(attestation: Attestation): void;
  attestation(visitId: VisitId): Attestation | undefined;
}

export function createSqliteNoteRepository(store: Store): NoteRepository {
  const { db, cipher, clock } = store;
  const currentAt = (visitId: string) => ({ table: 'notes', rowId: visitId, column: 'body' });
  const basisAt = (visitId: string) => ({ table: 'notes', rowId: visitId, column: 'evidence_basis' });
  const revisionAt = (visitId: string, revision: number) => ({ table: 'note_revisions', rowId: `${visitId}/${revision}`, column: 'body' });

  const decode = (body: Buffer, where: { table: string; rowId: string; column: string }): Note => {
    const parsed = NoteSchema.safeParse(cipher.openJson(body, where));
    if (!parsed.success) throw new IntegrityError(where);
    return parsed.data;
  };

  const selectCurrent = db.prepare('SELECT revision, body, signed_revision, evidence_basis FROM notes WHERE visit_id = ?');
  const updateBasis = db.prepare('UPDATE notes SET evidence_basis = ? WHERE visit_id = ?');
  const decodeBasis = (body: Buffer | null, visitId: string): EvidenceBasis | undefined => {
    if (body === null) return undefined;
    const parsed = BasisSchema.safeParse(cipher.openJson(body, basisAt(visitId)));
    if (!parsed.success) throw new IntegrityError(basisAt(visitId));
    return parsed.data;
  };
  const upsertCurrent = db.prepare(
    `INSERT INTO notes (visit_id, revision, body, updated_at, updated_by) VALUES (@visitId, @revision, @body, @at, @author)
     ON CONFLICT (visit_id) DO UPDATE SET revision = excluded.revision, body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  );
  const insertRevision = db.prepare(
    'INSERT INTO note_revisions (visit_id, revision, at, author, kind, body) VALUES (@visitId, @revision, @at, @author, @kind, @body)',
  );
  const selectRevisions = db.prepare('SELECT revision, at, author, kind FROM note_revisions WHERE visit_id = ? ORDER BY revision');
  const selectRevision = db.prepare('SELECT body FROM note_revisions WHERE visit_id = ? AND revision = ? AND addendum_seq IS NULL');
  const insertAttestation = db.prepare(
    'INSERT INTO attestations (visit_id, revision, note_sha256, signed_by, signed_at) VALUES (@visitId, @revision, @noteSha256, @signedBy, @signedAt)',
  );
  const markSigned = db.prepare('UPDATE notes SET signed_revision = ? WHERE visit_id = ?');
  const selectAttestation = db.prepare('SELECT * FROM attestations WHERE visit_id = ? AND seq = 0');

  return {
    get(visitId) {
      const row = selectCurrent.get(visitId) as
        { revision: number; body: Buffer; signed_revision: number | null; evidence_basis: Buffer | null } | undefined;
      if (!row) return undefined;
      return {
        note: decode(row.body, currentAt(visitId)),
        signedRevision: row.signed_revision ?? undefined,
        basis: decodeBasis(row.evidence_basis, visitId),
      };
    },
    saveRevision(visitId, draft, author, kind, basis) {
      return store.transaction(() => {
        const current = selectCurrent.get(visitId) as { revision: number } | undefined;
        const revision = (current?.revision ?? 0) + 1;
        const at = clock.now().toISOString();
        const note: Note = NoteSchema.parse({ ...draft, visitId, revision, updatedAt: at, updatedBy: author });
        upsertCurrent.run({ visitId, revision, body: cipher.sealJson(note, currentAt(visitId)), at, author });
        insertRevision.run({ visitId, revision, at, author, kind, body: cipher.sealJson(note, revisionAt(visitId, revision)) });
        if (basis) updateBasis.run(cipher.sealJson(basis, basisAt(visitId)), visitId);
        return note;
      });
    },
    revisions(visitId) {
      return selectRevisions.all(visitId) as RevisionSummary[];
    },
    revision(visitId, revision) {
      const row = selectRevision.get(visitId, revision) as { body: Buffer } | undefined;
      return row ? decode(row.body, revisionAt(visitId, revision)) : undefined;
    },
    attest(attestation) {
      store.transaction(() => {
        insertAttestation.run(attestation);
        markSigned.run(attestation.revision, attestation.visitId);
      });
    },
    attestation(visitId) {
      const row = selectAttestation.get(visitId) as
        { visit_id: string; revision: number; note_sha256: string; signed_by: string; signed_at: string } | undefined;
      if (!row) return undefined;
      return {
        visitId: row.visit_id as VisitId,
        revision: row.revision,
        noteSha256: row.note_sha256,
        signedBy: row.signed_by,
        signedAt: row.signed_at,
      };
    },
  };
}

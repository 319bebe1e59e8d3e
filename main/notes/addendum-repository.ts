import { z } from 'zod';
import type { AddendumAttestation } from '../../shared/domain/addendum.js';
import type { VisitId } from '../../shared/ids.js';
import { IntegrityError } from '../store/errors.js';
import type { Store } from '../store/store.js';

export interface StoredAddendum {
  readonly seq: number;
  /** The note revision holding this addendum's latest text. */
  readonly revision: number;
  readonly at: string;
  readonly author: string;
  readonly text: string;
}

/**
 * Addenda to a signed note. Their text is kept as note revisions of kind 'addendum' (encrypted,
 * numbered on from the note's own revisions, tagged with the addendum number); the signed note's
 * revisions are never touched. Signatures of addenda are attestations with seq >= 1.
 */
export interface AddendumRepository {
  /** The latest text of every addendum of the visit, in order. */
  list(visitId: VisitId): StoredAddendum[];
  /** Writes the next note revision as addendum `seq`'s text. The caller checks the base revision. */
  saveText(visitId: VisitId, seq: number, text: string, author: string): StoredAddendum;
  attest(attestation: AddendumAttestation): void;
  attestations(visitId: VisitId): AddendumAttestation[];
}

const Body = z.object({ visitId: z.string(), seq: z.number().int().positive(), text: z.string() });

export function createSqliteAddendumRepository(store: Store): AddendumRepository {
  const { db, cipher, clock } = store;
  // The same location note revisions use: the value is bound to its revision row.
  const bodyAt = (visitId: string, revision: number) => ({ table: 'note_revisions', rowId: `${visitId}/${revision}`, column: 'body' });

  const selectLatest = db.prepare(
    `SELECT r.addendum_seq AS seq, r.revision, r.at, r.author, r.body FROM note_revisions r
     WHERE r.visit_id = @visitId AND r.addendum_seq IS NOT NULL
       AND r.revision = (SELECT MAX(x.revision) FROM note_revisions x WHERE x.visit_id = r.visit_id AND x.addendum_seq = r.addendum_seq)
     ORDER BY r.addendum_seq`,
  );
  const selectMaxRevision = db.prepare('SELECT COALESCE(MAX(revision), 0) AS revision FROM note_revisions WHERE visit_id = ?');
  const insertRevision = db.prepare(
    `INSERT INTO note_revisions (visit_id, revision, at, author, kind, body, addendum_seq)
     VALUES (@visitId, @revision, @at, @author, 'addendum', @body, @seq)`,
  );
  const insertAttestation = db.prepare(
    `INSERT INTO attestations (visit_id, seq, kind, revision, note_sha256, signed_by, signed_at)
     VALUES (@visitId, @seq, 'addendum', @revision, @sha256, @signedBy, @signedAt)`,
  );
  const selectAttestations = db.prepare("SELECT * FROM attestations WHERE visit_id = ? AND kind = 'addendum' ORDER BY seq");

  const decode = (visitId: string, seq: number, revision: number, body: Buffer): string => {
    const where = bodyAt(visitId, revision);
    const parsed = Body.safeParse(cipher.openJson(body, where));
    if (!parsed.success || parsed.data.visitId !== visitId || parsed.data.seq !== seq) throw new IntegrityError(where);
    return parsed.data.text;
  };

  return {
    list(visitId) {
      const rows = selectLatest.all({ visitId }) as { seq: number; revision: number; at: string; author: string; body: Buffer }[];
      return rows.map((row) => ({
        seq: row.seq,
        revision: row.revision,
        at: row.at,
        author: row.author,
        text: decode(visitId, row.seq, row.revision, row.body),
      }));
    },
    saveText(visitId, seq, text, author) {
      return store.transaction(() => {
        const revision = (selectMaxRevision.get(visitId) as { revision: number }).revision + 1;
        const at = clock.now().toISOString();
        insertRevision.run({
          visitId,
          revision,
          at,
          author,
          seq,
          body: cipher.sealJson({ visitId, seq, text }, bodyAt(visitId, revision)),
        });
        return { seq, revision, at, author, text };
      });
    },
    attest(attestation) {
      insertAttestation.run(attestation);
    },
    attestations(visitId) {
      const rows = selectAttestations.all(visitId) as {
        visit_id: string;
        seq: number;
        revision: number;
        note_sha256: string;
        signed_by: string;
        signed_at: string;
      }[];
      return rows.map((row) => ({
        visitId: row.visit_id as VisitId,
        seq: row.seq,
        revision: row.revision,
        sha256: row.note_sha256,
        signedBy: row.signed_by,
        signedAt: row.signed_at,
      }));
    },
  };
}

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../log/logger.js';
import { nullLogger } from '../../log/logger.js';
import type { Clock } from '../../store/clock.js';
import { systemClock } from '../../store/clock.js';
import type { Deliverer, DeliveryJob, DeliveryOutcome, SignedNotePayload } from '../delivery.js';
import { signedTextMismatch } from '../note-integrity.js';
import { syncDirectory, writeNewFileDurably } from './durable-fs.js';
import { renderTextPdf } from './pdf.js';
import { FileDropSidecar, ICD10CM_SYSTEM, SIDECAR_FORMAT } from './sidecar.js';

export const FileDropConfig = z.object({
  /** The folder the EMR imports from. It must exist: creating it would hide an unmounted share. */
  folder: z
    .string()
    .min(1)
    .refine((p) => isAbsolute(p), 'must be an absolute path'),
});
export type FileDropConfig = z.infer<typeof FileDropConfig>;

export interface FileDropDelivererDeps {
  readonly config: z.input<typeof FileDropConfig>;
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
}

/** Where we remember what was delivered, in case the importer moves the files away before a resend. No PHI. */
export const LEDGER_DIR = join('.ambient-scribe', 'delivered');

/** The three files' shared name: from the idempotency key, so a resend looks for exactly what an earlier attempt wrote. */
export function dropFileBase(idempotencyKey: string): string {
  const safe = /^[A-Za-z0-9-]{1,64}$/.test(idempotencyKey)
    ? idempotencyKey
    : createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 32);
  return `scribe-note-${safe}`;
}

/** An addendum's files: named after its original note's, so the two sort and read together. */
export function addendumFileBase(parentIdempotencyKey: string, seq: number): string {
  return `${dropFileBase(parentIdempotencyKey)}-addendum-${seq}`;
}

/**
 * Drops a signed note into a watched folder as a PDF, a UTF-8 text file (exactly the signed text)
 * and a JSON sidecar. Each file is written under a temporary dot-name in the same folder, fsynced,
 * then renamed into place; the sidecar goes last and marks the set complete. A resend that finds
 * the sidecar (or our delivery ledger) reports delivered and writes nothing; one that finds only
 * an earlier attempt's leftovers removes them and writes the set again.
 */
export class FileDropDeliverer implements Deliverer {
  readonly target = 'file-drop' as const;
  private readonly folder: string;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(deps: FileDropDelivererDeps) {
    this.folder = FileDropConfig.parse(deps.config).folder;
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? nullLogger;
  }

  async deliver(job: DeliveryJob, signal: AbortSignal): Promise<DeliveryOutcome> {
    const started = performance.now();
    const outcome = await this.attempt(job, signal);
    this.logger.info('file_drop.delivery', {
      jobId: job.jobId,
      attempt: job.attempt,
      outcome: outcome.kind,
      code: outcome.kind === 'delivered' ? 'delivered' : outcome.code,
      ms: Math.round(performance.now() - started),
    });
    return outcome;
  }

  private async attempt(job: DeliveryJob, signal: AbortSignal): Promise<DeliveryOutcome> {
    const mismatch = signedTextMismatch(job.payload);
    if (mismatch) return mismatch;
    if (signal.aborted) return { kind: 'retry', code: 'aborted', reason: 'The write was cancelled before it started.' };
    const { addendum } = job.payload;
    const base = addendum ? addendumFileBase(addendum.parentIdempotencyKey, addendum.seq) : dropFileBase(job.idempotencyKey);
    const names = { pdf: `${base}.pdf`, text: `${base}.txt`, sidecar: `${base}.json` };
    const files = [names.pdf, names.text, names.sidecar];
    const delivered: DeliveryOutcome = { kind: 'delivered', receipt: { target: 'file-drop', files } };

    try {
      const folder = await stat(this.folder).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
        throw error;
      });
      if (!folder) return { kind: 'unreachable', code: 'folder_missing', reason: 'The drop folder does not exist or is not mounted.' };
      if (!folder.isDirectory()) return { kind: 'failed', code: 'folder_invalid', reason: 'The configured drop folder is not a folder.' };

      if (await this.ledgerHas(base, job.idempotencyKey)) return delivered;
      const existing = await this.readSidecar(names.sidecar, job.idempotencyKey);
      if (existing === 'other') {
        return {
          kind: 'failed',
          code: 'name_conflict',
          reason: `The drop folder already holds ${names.sidecar} for another note; nothing was written.`,
        };
      }
      if (existing === 'ours') {
        await this.recordDelivered(base, job.idempotencyKey, files);
        return delivered;
      }

      await this.removeLeftovers(base);
      const rendered = this.render(job, names);
      const temps = { pdf: this.tempName(base, 'pdf'), text: this.tempName(base, 'txt'), sidecar: this.tempName(base, 'json') };
      try {
        await writeNewFileDurably(join(this.folder, temps.pdf), rendered.pdf);
        await writeNewFileDurably(join(this.folder, temps.text), rendered.text);
        await writeNewFileDurably(join(this.folder, temps.sidecar), rendered.sidecar);
        if (signal.aborted) {
          await this.removeLeftovers(base);
          return { kind: 'retry', code: 'aborted', reason: 'The write was cancelled before the note was placed in the drop folder.' };
        }
        await rename(join(this.folder, temps.pdf), join(this.folder, names.pdf));
        await rename(join(this.folder, temps.text), join(this.folder, names.text));
        await syncDirectory(this.folder);
        await rename(join(this.folder, temps.sidecar), join(this.folder, names.sidecar));
        await syncDirectory(this.folder);
      } catch (error) {
        await this.removeLeftovers(base).catch(() => undefined);
        throw error;
      }
      await this.recordDelivered(base, job.idempotencyKey, files);
      return delivered;
    } catch (error) {
      return fsFailure(error);
    }
  }

  private render(job: DeliveryJob, names: { pdf: string; text: string }): { pdf: Buffer; text: Buffer; sidecar: Buffer } {
    const { payload } = job;
    const text = Buffer.from(payload.noteText, 'utf8');
    const { addendum } = payload;
    const parentBase = addendum ? dropFileBase(addendum.parentIdempotencyKey) : undefined;
    const signer = `Electronically signed by ${payload.practitioner.name ?? payload.practitioner.id} at ${payload.attestation.signedAt}`;
    const pdf = renderTextPdf({
      title: addendum ? `Addendum ${addendum.seq} to progress note ${parentBase}` : 'Progress note',
      header: pdfHeader(payload),
      footer: addendum ? `${signer}; written by the clinician after signing the note` : `${signer}; drafted with AI assistance`,
      lines: payload.noteText.split('\n'),
      createdAt: new Date(payload.attestation.signedAt),
    });
    const sidecar: FileDropSidecar = {
      format: SIDECAR_FORMAT,
      idempotencyKey: job.idempotencyKey,
      visitId: payload.visitId,
      patient: {
        id: payload.patient.id,
        mrn: payload.patient.mrn,
        name: payload.patient.displayName,
        birthDate: payload.patient.birthDate,
        sex: payload.patient.sex,
      },
      encounterId: payload.encounterId,
      practitioner: { id: payload.practitioner.id, name: payload.practitioner.name },
      documentType: { system: 'http://loinc.org', code: '11506-3', display: 'Progress note' },
      signedBy: payload.attestation.signedBy,
      signedAt: payload.attestation.signedAt,
      noteRevision: payload.attestation.revision,
      noteSha256: sha256(text),
      codes: payload.codes
        .filter((c) => c.status === 'accepted')
        .map((c) => ({ system: ICD10CM_SYSTEM, code: c.code, display: c.description })),
      aiAssisted: !addendum,
      ...(addendum && parentBase
        ? {
            addendumTo: {
              idempotencyKey: addendum.parentIdempotencyKey,
              seq: addendum.seq,
              files: [`${parentBase}.pdf`, `${parentBase}.txt`, `${parentBase}.json`],
            },
          }
        : {}),
      text: { file: names.text, sha256: sha256(text), bytes: text.length, encoding: 'utf-8' },
      pdf: {
        file: names.pdf,
        sha256: sha256(pdf.bytes),
        bytes: pdf.bytes.length,
        pages: pdf.pages,
        exactText: pdf.replacedCharacters === 0,
      },
    };
    return { pdf: pdf.bytes, text, sidecar: Buffer.from(`${JSON.stringify(sidecar, null, 2)}\n`, 'utf8') };
  }

  /** 'ours': a complete earlier delivery of this job. 'other': the name is taken by something else. */
  private async readSidecar(name: string, idempotencyKey: string): Promise<'ours' | 'other' | undefined> {
    let raw: string;
    try {
      raw = await readFile(join(this.folder, name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const parsed = FileDropSidecar.safeParse(JSON.parse(raw));
      return parsed.success && parsed.data.idempotencyKey === idempotencyKey ? 'ours' : 'other';
    } catch {
      return 'other';
    }
  }

  private async ledgerHas(base: string, idempotencyKey: string): Promise<boolean> {
    try {
      const entry = JSON.parse(await readFile(join(this.folder, LEDGER_DIR, `${base}.json`), 'utf8')) as { idempotencyKey?: unknown };
      return entry.idempotencyKey === idempotencyKey;
    } catch {
      return false;
    }
  }

  /** Best effort: the sidecar already proves delivery while it stays in the folder. */
  private async recordDelivered(base: string, idempotencyKey: string, files: readonly string[]): Promise<void> {
    try {
      const dir = join(this.folder, LEDGER_DIR);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const temp = join(dir, `.${base}.${randomBytes(6).toString('hex')}.tmp`);
      await writeNewFileDurably(
        temp,
        Buffer.from(JSON.stringify({ idempotencyKey, files, deliveredAt: this.clock.now().toISOString() }), 'utf8'),
        0o600,
      );
      await rename(temp, join(dir, `${base}.json`));
    } catch (error) {
      this.logger.warn('file_drop.ledger_write_failed', { code: (error as NodeJS.ErrnoException).code ?? 'error' });
    }
  }

  private tempName(base: string, ext: string): string {
    return `.${base}.${ext}.${randomBytes(6).toString('hex')}.tmp`;
  }

  /** Removes temporary files an interrupted attempt left for this note. */
  private async removeLeftovers(base: string): Promise<void> {
    const prefix = `.${base}.`;
    for (const name of await readdir(this.folder)) {
      if (name.startsWith(prefix) && name.endsWith('.tmp')) await rm(join(this.folder, name), { force: true });
    }
  }
}

function pdfHeader(payload: SignedNotePayload): string {
  const parts = [
    'Progress note',
    payload.patient.displayName,
    payload.patient.birthDate && `DOB ${payload.patient.birthDate}`,
    payload.patient.mrn && `MRN ${payload.patient.mrn}`,
  ];
  return parts.filter(Boolean).join('  |  ');
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function fsFailure(error: unknown): DeliveryOutcome {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return {
        kind: 'unreachable',
        code: 'folder_missing',
        reason: 'The drop folder disappeared while the note was being written; it will be written again.',
      };
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return {
        kind: 'failed',
        code: 'folder_not_writable',
        reason: `This workstation may not write to the drop folder (${code}). Ask IT to grant write access, then retry.`,
      };
    case 'ENOSPC':
    case 'EDQUOT':
      return { kind: 'retry', code: 'disk_full', reason: 'The drop folder is full; the note will be written when space is free.' };
    default:
      return {
        kind: 'retry',
        code: 'write_error',
        reason: `Writing to the drop folder failed (${code || 'error'}); it will be tried again.`,
      };
  }
}

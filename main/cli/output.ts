import type { VisitSummary } from '../../shared/api/contract.js';
import type { AuditVerifyReport } from '../../shared/domain/audit.js';
import type { Visit } from '../../shared/domain/visit.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export const json = (value: unknown) => JSON.stringify(value, null, 2);

const DAMAGED_VISIT = "This visit's record is damaged (ask IT to restore the store from its backup)";

export function formatVisitList(visits: readonly VisitSummary[]): string {
  if (visits.length === 0) return 'No visits.';
  return visits
    .map((v) =>
      [
        v.createdAt.slice(0, 16).replace('T', ' '),
        v.state.padEnd(21),
        ...(v.damaged
          ? [DAMAGED_VISIT]
          : [
              v.patientName ?? '(unnamed)',
              `patient ${v.patientId}`,
              // What tells one patient's visits apart.
              ...(v.reasonForVisit ? [`“${v.reasonForVisit}”`] : []),
              ...(v.clinician ? [`with ${v.clinician}`] : []),
              ...(v.scheduledAt ? [`scheduled ${v.scheduledAt.slice(0, 16).replace('T', ' ')}`] : []),
            ]),
        v.id,
      ].join('  '),
    )
    .join('\n');
}

export function formatVisit(visit: Visit): string {
  const p = visit.patient;
  return [
    `Visit      ${visit.id}`,
    `State      ${visit.state}`,
    `Patient    ${p.displayName ?? '(unnamed)'} (id ${visit.patientId}${p.mrn ? `, MRN ${p.mrn}` : ''}${p.birthDate ? `, born ${p.birthDate}` : ''})`,
    ...(visit.encounterId ? [`Encounter  ${visit.encounterId}`] : []),
    ...(p.reasonForVisit ? [`Reason     ${p.reasonForVisit}`] : []),
    `Created    ${visit.createdAt} by ${visit.createdBy}`,
  ].join('\n');
}

export function formatAuditReport(report: AuditVerifyReport): string {
  if (report.ok) return `Audit log intact: ${report.entries} entries verified.`;
  return [
    `Audit log BROKEN: ${report.problems.length} problem(s) in ${report.entries} entries.`,
    ...report.problems.map((p) => `  at entry ${p.seq}: [${p.kind}] ${p.message}`),
  ].join('\n');
}

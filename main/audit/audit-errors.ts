import { ForbiddenError, ScribeError } from '../kernel/errors.js';

export const auditExportForbidden = () => new ForbiddenError('Scribes cannot export the audit log.', 'audit.export_forbidden');

/** The log's tables are gone: nothing can be recorded, so nothing may be done. */
export const auditLogMissing = (cause: unknown) =>
  new ScribeError('integrity', "The audit log's tables are missing; this store cannot record what is done with it. Ask IT to restore it.", {
    reason: 'audit.log_missing',
    cause,
  });

export const isAuditLogMissing = (error: unknown) => error instanceof ScribeError && error.reason === 'audit.log_missing';

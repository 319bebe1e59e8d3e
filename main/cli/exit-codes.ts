/** Exit codes: 0 ok, 1 a clear error, 2 bad usage, 3 the audit log failed verification. */
export const EXIT = { ok: 0, error: 1, usage: 2, auditBroken: 3 } as const;

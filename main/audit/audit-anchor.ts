import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The audit head, copied outside the database after every commit: a file beside scribe.db holding
 * the newest entry's seq and hash under a MAC keyed from the data key. Putting back an older copy of
 * the database (a later visit vanishes with its audit entries) leaves the anchor ahead of the log,
 * and verification says so. Limits (docs/architecture.md): someone who puts back an older copy of
 * both files together is not detected, and a crash between a commit and the anchor's rewrite leaves
 * it one step behind, which is consistent.
 */
export const AUDIT_ANCHOR_FILE = 'audit-anchor.json';

export interface AnchorPoint {
  readonly seq: number;
  readonly hash: string;
}

export type AnchorRead = { readonly kind: 'missing' } | { readonly kind: 'invalid' } | { readonly kind: 'ok'; readonly point: AnchorPoint };

export interface AuditAnchor {
  read(): AnchorRead;
  write(point: AnchorPoint): void;
}

export function createAuditAnchor(databasePath: string, key: Buffer): AuditAnchor {
  const file = join(dirname(databasePath), AUDIT_ANCHOR_FILE);
  const mac = (p: AnchorPoint) =>
    createHmac('sha256', key)
      .update(JSON.stringify(['audit-anchor', p.seq, p.hash]))
      .digest('hex');
  return {
    read() {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
        return { kind: 'invalid' };
      }
      try {
        const parsed = JSON.parse(text) as { version?: unknown; seq?: unknown; hash?: unknown; mac?: unknown };
        if (parsed.version !== 1 || typeof parsed.seq !== 'number' || typeof parsed.hash !== 'string' || typeof parsed.mac !== 'string')
          return { kind: 'invalid' };
        const point = { seq: parsed.seq, hash: parsed.hash };
        const expected = Buffer.from(mac(point), 'hex');
        const given = Buffer.from(parsed.mac, 'hex');
        return given.length === expected.length && timingSafeEqual(given, expected) ? { kind: 'ok', point } : { kind: 'invalid' };
      } catch {
        return { kind: 'invalid' };
      }
    },
    write(point) {
      // Its own temporary name: the app and a CLI command may both move the anchor at once.
      const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      writeFileSync(temp, `${JSON.stringify({ version: 1, ...point, mac: mac(point) })}\n`, { mode: 0o600 });
      renameSync(temp, file);
    },
  };
}

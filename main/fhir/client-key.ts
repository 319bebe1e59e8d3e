import { randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import { exportJWK, generateKeyPair } from 'jose';
import type { FhirSigningAlg, PrivateJwk } from './fhir-target-config.js';

/**
 * A workstation's SMART Backend Services key pair: the private half signs client assertions and
 * stays with us (encrypted store or protected key file); the public half, as a JWKS, is what the
 * EHR (or the sandbox) registers for this client.
 */
export interface ClientKeyPair {
  readonly alg: FhirSigningAlg;
  readonly privateKey: PrivateJwk;
  readonly publicJwks: { readonly keys: readonly JWK[] };
}

export async function generateClientKeyPair(alg: FhirSigningAlg = 'ES384'): Promise<ClientKeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS384' ? { modulusLength: 3072 } : {}) });
  const kid = randomBytes(8).toString('hex');
  const priv = { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };
  const pub = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, privateKey: priv as PrivateJwk, publicJwks: { keys: [pub] } };
}

/** The public JWKS for a private JWK (drops every private member). */
export function publicJwksOf(privateKey: PrivateJwk): { keys: JWK[] } {
  const pub: Record<string, unknown> = { ...privateKey };
  for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth']) delete pub[member];
  return { keys: [pub] };
}

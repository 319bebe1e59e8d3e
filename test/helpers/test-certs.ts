import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-store.js';

export interface TestPki {
  /** CA certificate (PEM) that signed both leaf certificates. */
  readonly ca: string;
  /** Server certificate for IP 127.0.0.1 and DNS localhost, and its key. */
  readonly serverCert: string;
  readonly serverKey: string;
  /** Client certificate (mutual TLS) and its key. */
  readonly clientCert: string;
  readonly clientKey: string;
  /** A second, unrelated CA: trusting only it must make the handshake fail. */
  readonly otherCa: string;
}

export const OPENSSL_MISSING = 'openssl is not installed; TLS tests need it to make throwaway certificates';
export const opensslAvailable = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

/** A throwaway CA with a server and a client certificate, valid for a day (EC P-256, made with the openssl CLI). */
export function makeTestPki(): TestPki {
  const tmp = tempDir('scribe-pki-');
  const path = (name: string) => join(tmp.dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    const makeCa = (name: string) =>
      openssl(
        'req',
        '-x509',
        ...ecKey,
        '-keyout',
        path(`${name}.key`),
        '-out',
        path(`${name}.crt`),
        '-days',
        '1',
        '-subj',
        `/CN=Ambient Scribe test ${name}`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      );
    makeCa('ca');
    makeCa('other-ca');
    const leaf = (name: string, ext: string) => {
      writeFileSync(path(`${name}.ext`), ext);
      openssl('req', '-new', ...ecKey, '-keyout', path(`${name}.key`), '-out', path(`${name}.csr`), '-subj', `/CN=${name}`);
      openssl(
        'x509',
        '-req',
        '-in',
        path(`${name}.csr`),
        '-CA',
        path('ca.crt'),
        '-CAkey',
        path('ca.key'),
        '-CAcreateserial',
        '-out',
        path(`${name}.crt`),
        '-days',
        '1',
        '-extfile',
        path(`${name}.ext`),
      );
    };
    leaf('server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
    leaf('client', 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
    const read = (name: string) => readFileSync(path(name), 'utf8');
    return {
      ca: read('ca.crt'),
      serverCert: read('server.crt'),
      serverKey: read('server.key'),
      clientCert: read('client.crt'),
      clientKey: read('client.key'),
      otherCa: read('other-ca.crt'),
    };
  } finally {
    tmp.cleanup();
  }
}

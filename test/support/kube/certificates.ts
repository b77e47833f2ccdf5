/**
 * The control plane's keys, made with openssl as a cluster installer would: a CA, a serving certificate for loopback
 * signed by it (used by kube-apiserver and by the fault proxies in front of it), and the service-account signing key.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClusterCertificates {
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  serviceAccountKey: string;
  serviceAccountPublicKey: string;
}

const DAYS = '30';
/** Loopback, and the names and service IP in-cluster clients use for the API server. */
const SUBJECT_ALT_NAMES = 'IP:127.0.0.1,DNS:localhost,IP:10.0.0.1,DNS:kubernetes,DNS:kubernetes.default.svc';

export function makeCertificates(directory: string): ClusterCertificates {
  mkdirSync(directory, { recursive: true });
  const file = (name: string) => join(directory, name);
  const certs: ClusterCertificates = {
    caCert: file('ca.crt'),
    caKey: file('ca.key'),
    servingCert: file('serving.crt'),
    servingKey: file('serving.key'),
    serviceAccountKey: file('service-account.key'),
    serviceAccountPublicKey: file('service-account.pub'),
  };
  const extensions = file('serving.ext');
  writeFileSync(
    extensions,
    `subjectAltName=${SUBJECT_ALT_NAMES}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n`,
  );
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    DAYS,
    '-subj',
    '/CN=strata-test-ca',
    '-keyout',
    certs.caKey,
    '-out',
    certs.caCert,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=kube-apiserver',
    '-keyout',
    certs.servingKey,
    '-out',
    file('serving.csr'),
  );
  openssl(
    'x509',
    '-req',
    '-in',
    file('serving.csr'),
    '-CA',
    certs.caCert,
    '-CAkey',
    certs.caKey,
    '-CAcreateserial',
    '-days',
    DAYS,
    '-extfile',
    extensions,
    '-out',
    certs.servingCert,
  );
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', certs.serviceAccountKey);
  openssl('pkey', '-in', certs.serviceAccountKey, '-pubout', '-out', certs.serviceAccountPublicKey);
  return certs;
}

function openssl(...args: string[]): void {
  try {
    execFileSync('openssl', args, { stdio: 'pipe', timeout: 30_000 });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString('utf8').trim();
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? 'openssl is not installed; the test control plane makes its certificates with it (apt-get install -y openssl)'
        : `openssl ${args[0]} failed: ${stderr || (error as Error).message}`,
    );
  }
}

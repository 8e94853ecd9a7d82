/**
 * The local demo's TLS: a certificate authority made on this machine and one server certificate
 * for localhost and 127.0.0.1 it signs, so the demo's federation service and a second local
 * instance (scripts/federation/follow.ts) speak https to each other, as WebFinger `acct:` lookups
 * require. Made with @peculiar/x509 (WebCrypto, EC P-256): no openssl binary needed by `npm start`.
 *
 * The CA's private key is never written anywhere: once the server certificate is signed it is
 * dropped, so nobody (not even this machine's user) can make another certificate this CA vouches
 * for. Nothing is added to the system's trust store; only the demo's own processes trust the CA.
 * Kept under `.bascule/tls/` (the key 0600) and reused while valid for at least another day.
 */
import { X509Certificate, createPrivateKey, webcrypto } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import tls from "node:tls";
// @peculiar/x509 2 needs a Reflect metadata polyfill loaded before it (its README).
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

export interface LocalTls {
  /** PEM of the CA certificate: what a client trusts. */
  ca: string;
  /** PEM of the server certificate (localhost, 127.0.0.1). */
  cert: string;
  /** PEM (PKCS#8) of the server certificate's private key. */
  key: string;
}

const DAY = 86_400_000;
const EC = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGN = { name: "ECDSA", hash: "SHA-256" } as const;
const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

/**
 * A fresh CA and a server certificate for localhost and 127.0.0.1 it signs, valid `days` days.
 * @example const { ca, cert, key } = await makeLocalTls();
 */
export async function makeLocalTls(days = 30): Promise<LocalTls> {
  const crypto = webcrypto as unknown as Crypto;
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + days * DAY);
  const caKeys = (await crypto.subtle.generateKey(EC, false, ["sign", "verify"])) as CryptoKeyPair;
  const caCert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      name: "CN=Bascule local demo CA",
      notBefore,
      notAfter,
      signingAlgorithm: SIGN,
      keys: caKeys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  const serverKeys = (await crypto.subtle.generateKey(EC, true, ["sign", "verify"])) as CryptoKeyPair;
  const serverCert = await x509.X509CertificateGenerator.create(
    {
      subject: "CN=localhost",
      issuer: caCert.subject,
      notBefore,
      notAfter,
      signingAlgorithm: SIGN,
      publicKey: serverKeys.publicKey,
      signingKey: caKeys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([SERVER_AUTH]),
        new x509.SubjectAlternativeNameExtension([
          { type: "dns", value: "localhost" },
          { type: "ip", value: "127.0.0.1" },
        ]),
        await x509.AuthorityKeyIdentifierExtension.create(caCert, false, crypto),
      ],
    },
    crypto,
  );
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", serverKeys.privateKey);
  return {
    ca: caCert.toString("pem"),
    cert: serverCert.toString("pem"),
    key: x509.PemConverter.encode(pkcs8, "PRIVATE KEY"),
  };
}

/**
 * Why a stored certificate set cannot be reused, or null: the server certificate must be issued by
 * the CA, name localhost and 127.0.0.1, and both stay valid for at least `marginMs`.
 */
export function tlsProblem(set: LocalTls, now = Date.now(), marginMs = DAY): string | null {
  let ca: X509Certificate;
  let cert: X509Certificate;
  try {
    ca = new X509Certificate(set.ca);
    cert = new X509Certificate(set.cert);
  } catch {
    return "not certificates";
  }
  if (!ca.ca) return "the CA certificate is not a CA";
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return "not signed by the CA";
  if (!cert.checkHost("localhost") || !cert.checkIP("127.0.0.1")) return "not for localhost and 127.0.0.1";
  for (const c of [ca, cert]) {
    if (Date.parse(c.validFrom) > now) return "not valid yet";
    if (Date.parse(c.validTo) < now + marginMs) return "expires within a day";
  }
  try {
    if (!cert.checkPrivateKey(createPrivateKey(set.key))) return "the key is not the certificate's";
  } catch {
    return "the key is not the certificate's";
  }
  return null;
}

/**
 * The demo's certificates from `dir` (ca.pem, cert.pem, key.pem), made there first when missing,
 * invalid or expiring within a day. Returns them and whether they were made now.
 * @example const { tls } = await demoTls(".bascule/tls");
 */
export async function demoTls(dir: string): Promise<{ tls: LocalTls; made: boolean }> {
  const files = { ca: path.join(dir, "ca.pem"), cert: path.join(dir, "cert.pem"), key: path.join(dir, "key.pem") };
  if (Object.values(files).every((f) => existsSync(f))) {
    const stored = {
      ca: readFileSync(files.ca, "utf8"),
      cert: readFileSync(files.cert, "utf8"),
      key: readFileSync(files.key, "utf8"),
    };
    if (!tlsProblem(stored)) return { tls: stored, made: false };
  }
  const made = await makeLocalTls();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(files.key, made.key, { mode: 0o600 });
  chmodSync(files.key, 0o600);
  writeFileSync(files.cert, made.cert);
  writeFileSync(files.ca, made.ca);
  return { tls: made, made: true };
}

/**
 * Makes this process's TLS (its global fetch, which Fedify uses for WebFinger, actors and keys)
 * trust `ca` besides the usual roots; returns the undo.
 */
export function trustCa(ca: string): () => void {
  const before = tls.getCACertificates("default");
  tls.setDefaultCACertificates([...before, ca]);
  return () => tls.setDefaultCACertificates(before);
}

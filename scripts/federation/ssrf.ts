/**
 * The guards every fetch the federation service makes to a URL it was given (a follower's inbox,
 * taken from an actor document a stranger controls) goes through, as a fediverse server needs:
 * https only, no credentials in the URL, and no connection to a loopback, private, link-local,
 * carrier-grade NAT, multicast or otherwise reserved address. The check is made on the address the
 * connection actually uses (undici's `connect.lookup`), so a name that resolves to a public address
 * when checked and to 127.0.0.1 when connecting (DNS rebinding) is refused too.
 *
 * Fedify's own fetches (actor documents, keys, WebFinger) go through its document loader, which
 * refuses the same ranges unless `allowPrivateAddress` is set: the one test-only switch,
 * `allowPrivateAddress` here too, turns both off together.
 */
import { type LookupAddress, lookup as dnsLookup } from "node:dns";
import { BlockList, isIP } from "node:net";
import { Agent, type Dispatcher } from "undici";

/**
 * Every range a public fediverse server never has (IANA special-purpose registries, v4 and v6).
 * IPv4-mapped IPv6 (::ffff:0:0/96) is judged by the IPv4 address it maps (isPublicAddress): as a
 * BlockList rule it would match every IPv4 address.
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  PRIVATE.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001::", 23],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  PRIVATE.addSubnet(net, prefix, "ipv6");

/**
 * Whether an IP address is one a public server may have. An IPv4-mapped IPv6 address is judged as
 * the IPv4 address it maps.
 * @example isPublicAddress("127.0.0.1") // false
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return isPublicAddress(mapped[1]);
  const family = isIP(bare);
  if (family === 0) return false;
  return !PRIVATE.check(bare, family === 4 ? "ipv4" : "ipv6");
}

/** A URL the guards refuse; `reason` says why, for the log (never shown to a remote server). */
export class UnsafeUrlError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`refused to fetch ${url.slice(0, 200)}: ${reason}`);
    this.name = "UnsafeUrlError";
  }
}

export interface GuardOptions {
  /** Test only: allow loopback and private addresses (the loopback federation test). */
  allowPrivateAddress?: boolean;
}

/**
 * Checks a URL before anything is fetched from it: https, no user or password, a host, and, when it
 * is an IP literal, a public one (a name is checked when it is resolved, by `guardedAgent`).
 * @example checkUrl("https://10.0.0.1/inbox") // throws UnsafeUrlError
 */
export function checkUrl(raw: string, options: GuardOptions = {}): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError(raw, "not a URL");
  }
  if (url.protocol !== "https:") throw new UnsafeUrlError(raw, "not https");
  if (url.username || url.password) throw new UnsafeUrlError(raw, "credentials in the URL");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!host) throw new UnsafeUrlError(raw, "no host");
  if (options.allowPrivateAddress) return url;
  if (isIP(host) !== 0 && !isPublicAddress(host)) throw new UnsafeUrlError(raw, "private address");
  if (host === "localhost" || host.endsWith(".localhost")) throw new UnsafeUrlError(raw, "loopback name");
  return url;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `dns.lookup` that fails when any address a name resolves to is not public: the connection is
 * then never opened.
 */
export function guardedLookup(hostname: string, options: object, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => !isPublicAddress(a.address));
    if (bad || list.length === 0) {
      const refusal: NodeJS.ErrnoException = new UnsafeUrlError(hostname, `resolves to ${bad?.address ?? "nothing"}`);
      refusal.code = "EPRIVATEADDRESS";
      return callback(refusal, []);
    }
    if ((options as { all?: boolean }).all) return callback(null, list);
    callback(null, list[0].address, list[0].family);
  });
}

export interface AgentOptions extends GuardOptions {
  /** Extra trusted CA certificates in PEM (the test's own CA). */
  ca?: string[];
  /** Connect and response timeouts (default 10 s). */
  timeoutMs?: number;
}

/**
 * The undici dispatcher every delivery uses: the lookup guard, short timeouts, and no redirect
 * (undici's fetch follows none unless asked; deliveries ask `redirect: "manual"`).
 */
export function guardedAgent(options: AgentOptions = {}): Dispatcher {
  const timeout = options.timeoutMs ?? 10_000;
  return new Agent({
    connect: {
      ...(options.allowPrivateAddress ? {} : { lookup: guardedLookup }),
      ...(options.ca ? { ca: options.ca } : {}),
      timeout,
    },
    headersTimeout: timeout,
    bodyTimeout: timeout,
  });
}

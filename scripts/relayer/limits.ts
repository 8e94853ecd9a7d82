/**
 * Rate limits per network prefix, nested, in bounded memory; and who the client is behind a proxy.
 *
 * A request is counted against every prefix its address belongs to (PREFIX_LEVELS): an IPv4 address
 * and its /24; an IPv6 /64, /56, /48 and /32. One household or server gets a whole /64, a customer
 * commonly a /56 or a /48, an operator a /32: limiting the /64 alone let one /48 (65,536 /64s) send
 * 65,536 times the rate. Each coarser level allows a few times the finest one (its `factor`), so a
 * crowd of honest neighbours is not held back by one of them, while one holder of a /48 gets at most
 * 4 times what a single /64 gets. IPv4-mapped IPv6 addresses count as IPv4. Each prefix has a token
 * bucket (`burst × factor` tokens, refilled at `perSecond × factor`); a request passes only if every
 * level has a token, and then takes one from each (a refused request takes none, so a throttled /64
 * does not drain its /48 for the others). Nothing is written to disk; in memory, the key is the
 * prefix only.
 *
 * Memory: at most `capacity` buckets per level, in a Map kept in least-recently-used order. A bucket
 * untouched for `burst / perSecond` seconds is full again (the same at every level), i.e. the same as
 * no bucket at all, so evicting it loses nothing: the oldest such buckets are evicted one by one as
 * new prefixes come. When every bucket of a level is still refilling (more than `capacity` distinct
 * prefixes within one refill time: a flood), none is evicted, since that would hand a throttled
 * client a fresh one; newcomers at that level share one overflow bucket, so the flood limits itself
 * and nobody's limit resets.
 *
 * Why our own and not @fastify/rate-limit: its LRU store (toad-cache) evicts the least recently
 * used entry whatever its state, so a crowd of fresh /64s pushes a throttled client's counter out
 * and resets it, which is the very attack to stop; it also counts one key per request, not nested
 * prefixes, and fixed windows, not a bucket that says exactly when the next request is allowed
 * (Retry-After).
 */
import { isIPv4, isIPv6 } from "node:net";

export interface RateLimitOptions {
  perSecond: number;
  burst: number;
  /** Most buckets kept in memory (default 100,000: about 10 MB). */
  capacity?: number;
}

export interface Bucket {
  tokens: number;
  at: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Seconds until one token is back (for Retry-After), when refused. */
  retryAfterSeconds: number;
}

/** One level of the nested limits: the prefix length it counts, and how many times the base rate and burst it allows. */
export interface PrefixLevel {
  family: 4 | 6;
  bits: number;
  factor: number;
}

/**
 * The levels, finest first within each family. An IPv6 /56 (a home customer's usual delegation)
 * gets twice a /64, a /48 (a site, a small hosting customer) 4 times, a /32 (an operator's
 * allocation, shared by its customers) 16 times; an IPv4 /24 4 times an address.
 */
export const PREFIX_LEVELS: readonly PrefixLevel[] = [
  { family: 6, bits: 64, factor: 1 },
  { family: 6, bits: 56, factor: 2 },
  { family: 6, bits: 48, factor: 4 },
  { family: 6, bits: 32, factor: 16 },
  { family: 4, bits: 32, factor: 1 },
  { family: 4, bits: 24, factor: 4 },
];

/** An address without its zone, as IPv4 (also when IPv4-mapped) or lowercase IPv6; null if it is none. */
function normalise(address: string | undefined): { family: 4 | 6; address: string } | null {
  if (!address) return null;
  let a = address.trim();
  const zone = a.indexOf("%");
  if (zone >= 0) a = a.slice(0, zone);
  if (isIPv4(a)) return { family: 4, address: a };
  if (!isIPv6(a)) return null;
  const lower = a.toLowerCase();
  const mapped =
    /^(?:0{0,4}:){0,5}(?:0{0,4}:)?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower) ??
    /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped && isIPv4(mapped[1])) return { family: 4, address: mapped[1] };
  return { family: 6, address: lower };
}

/** The prefix of `bits` bits of a normalised address, as a key: "203.0.113.0/24", "2001:0db8:0001:0200::/56". */
function prefixKey(family: 4 | 6, address: string, bits: number): string {
  if (family === 4) {
    if (bits === 32) return address;
    const value = address.split(".").reduce((n, part) => n * 256 + Number(part), 0);
    const masked = bits === 0 ? 0 : (value >>> (32 - bits)) * 2 ** (32 - bits);
    return `${[24, 16, 8, 0].map((shift) => Math.floor(masked / 2 ** shift) % 256).join(".")}/${bits}`;
  }
  const groups = expandIPv6(address);
  const whole = Math.floor(bits / 16);
  const kept = groups.slice(0, whole);
  if (bits % 16 !== 0) {
    const mask = (0xffff << (16 - (bits % 16))) & 0xffff;
    kept.push((Number.parseInt(groups[whole], 16) & mask).toString(16).padStart(4, "0"));
  }
  return `${kept.join(":")}::/${bits}`;
}

/** The prefix the finest limit counts: the IPv4 address, or the IPv6 /64 as 4 hex groups + "::/64". */
export function clientPrefix(address: string | undefined): string {
  return clientPrefixes(address)[0].prefix;
}

/**
 * Every prefix a request is counted against, finest first, with its level in PREFIX_LEVELS;
 * anything that is not an address is one shared "unknown" client, at the IPv4 address level.
 * @example clientPrefixes("2001:db8:1:2::1").map((p) => p.prefix)
 * // ["2001:0db8:0001:0002::/64", "2001:0db8:0001:0000::/56", "2001:0db8:0001::/48", "2001:0db8::/32"]
 */
export function clientPrefixes(address: string | undefined): { level: number; prefix: string }[] {
  const a = normalise(address);
  if (!a) return [{ level: PREFIX_LEVELS.findIndex((l) => l.family === 4), prefix: "unknown" }];
  return PREFIX_LEVELS.flatMap((l, level) =>
    l.family === a.family ? [{ level, prefix: prefixKey(a.family, a.address, l.bits) }] : [],
  );
}

/** The 8 groups of an IPv6 address, each 4 lowercase hex digits (embedded IPv4 tail converted). */
export function expandIPv6(address: string): string[] {
  let a = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (v4) {
    const [b0, b1, b2, b3] = v4[1].split(".").map(Number);
    a = a.slice(0, -v4[1].length) + `${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head, tail] = a.includes("::") ? a.split("::") : [a, undefined];
  const left = head ? head.split(":") : [];
  const right = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const fill = tail !== undefined ? new Array<string>(8 - left.length - right.length).fill("0") : [];
  return [...left, ...fill, ...right].map((g) => g.padStart(4, "0"));
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly overflow: Bucket;
  readonly capacity: number;
  private readonly refillMs: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    capacity = 100_000,
    private readonly clock: () => number = Date.now,
  ) {
    if (!(perSecond > 0) || !(burst >= 1)) throw new Error("rate limit: perSecond > 0 and burst >= 1 required");
    this.capacity = Math.max(1, Math.floor(capacity));
    this.refillMs = (burst / perSecond) * 1000;
    this.overflow = { tokens: burst, at: clock() };
  }

  /** Buckets held now (for tests and /status). */
  get size(): number {
    return this.buckets.size;
  }

  /** Whether the newcomers' shared bucket is in use (a flood of distinct prefixes). */
  overflowing = false;

  /** Takes one token for `client` (a prefix from clientPrefix). */
  take(client: string): TakeResult {
    const now = this.clock();
    return this.spend(this.bucket(client, now), now);
  }

  /** The bucket `client` counts against now (its own, a new one, or the overflow), refilled, nothing taken. */
  bucket(client: string, now: number): Bucket {
    let bucket = this.buckets.get(client);
    if (bucket) {
      // Most recently used last: delete and set again.
      this.buckets.delete(client);
      this.buckets.set(client, bucket);
    } else {
      this.evictStale(now);
      if (this.buckets.size < this.capacity) {
        bucket = { tokens: this.burst, at: now };
        this.buckets.set(client, bucket);
        this.overflowing = false;
      } else {
        this.overflowing = true;
        bucket = this.overflow;
      }
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    return bucket;
  }

  /** Seconds until `bucket` has a token again (0 if it has one). */
  waitSeconds(bucket: Bucket): number {
    return bucket.tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
  }

  private spend(bucket: Bucket, now: number): TakeResult {
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: this.waitSeconds(bucket) };
  }

  /** Evicts, oldest first and one at a time, buckets that have refilled (worth nothing), so one slot is free. */
  private evictStale(now: number): void {
    // A few at most per call: the cost of a request stays constant.
    for (let i = 0; i < 4 && this.buckets.size >= this.capacity; i++) {
      const oldest = this.buckets.entries().next();
      if (oldest.done) return;
      const [key, bucket] = oldest.value;
      if (now - bucket.at < this.refillMs) return;
      this.buckets.delete(key);
    }
  }
}

/**
 * The relayer's limit: one RateLimiter per level of PREFIX_LEVELS (rate and burst times its factor,
 * `capacity` buckets each); a request passes only if each of its prefixes has a token.
 * @example
 * const limiter = new NestedRateLimiter(10, 30);
 * limiter.take("2001:db8:1:2::1"); // { allowed: true, retryAfterSeconds: 0 }
 */
export class NestedRateLimiter {
  readonly levels: RateLimiter[];

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    capacity = 100_000,
    private readonly clock: () => number = Date.now,
  ) {
    this.levels = PREFIX_LEVELS.map((l) => new RateLimiter(perSecond * l.factor, burst * l.factor, capacity, clock));
  }

  /** Buckets held now, every level together. */
  get size(): number {
    return this.levels.reduce((n, l) => n + l.size, 0);
  }

  /** Whether any level's newcomers share its overflow bucket (a flood of distinct prefixes). */
  get overflowing(): boolean {
    return this.levels.some((l) => l.overflowing);
  }

  /** Takes one token from each prefix of `address` (a client's IP address), or none if one has none left. */
  take(address: string | undefined): TakeResult {
    const now = this.clock();
    const held = clientPrefixes(address).map(({ level, prefix }) => {
      const limiter = this.levels[level];
      return { limiter, bucket: limiter.bucket(prefix, now) };
    });
    const wait = Math.max(...held.map(({ limiter, bucket }) => limiter.waitSeconds(bucket)));
    if (wait > 0) return { allowed: false, retryAfterSeconds: wait };
    for (const { bucket } of held) bucket.tokens -= 1;
    return { allowed: true, retryAfterSeconds: 0 };
  }
}

/** TRUST_PROXY names something other than proxies' addresses: the relayer does not start. */
export class TrustProxyError extends Error {
  constructor(en: string, fr: string) {
    super(`TRUST_PROXY: ${en} / TRUST_PROXY : ${fr}`);
    this.name = "TrustProxyError";
  }
}

const PROXY_RANGE_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

/**
 * The proxies whose X-Forwarded-For entries the relayer believes, checked: addresses, CIDRs
 * (`10.0.0.0/8`, `2001:db8::/32`), address/netmask (`10.0.0.0/255.0.0.0`), or the names
 * `loopback`, `linklocal`, `uniquelocal` (@fastify/proxy-addr's ranges), comma separated. Refused:
 * `true` and anything that trusts every address (`*`, a /0), since the client writes the left-most
 * entry; and a hop count, which cannot tell a proxy from a client that reaches the relayer
 * directly (Fastify 5.12 ignores a number and trusts nobody).
 * @example checkTrustProxy("127.0.0.1, 10.0.0.0/8") // ["127.0.0.1", "10.0.0.0/8"]
 */
export function checkTrustProxy(value: unknown): string[] {
  const entries = (Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : [value]).map((e) =>
    typeof e === "string" ? e.trim() : e,
  );
  if (entries.length === 0 || entries.every((e) => e === "")) {
    throw new TrustProxyError("no proxy address given", "aucune adresse de proxy donnée");
  }
  return entries.map((entry) => {
    if (entry === true || entry === "true" || entry === "*" || entry === "all") {
      throw new TrustProxyError(
        `"${String(entry)}" would trust every client's X-Forwarded-For, which the client writes itself; list your reverse proxies' addresses or CIDRs (e.g. TRUST_PROXY=127.0.0.1 or 10.0.0.0/8)`,
        `« ${String(entry)} » ferait croire l'en-tête X-Forwarded-For de n'importe quel client, qui l'écrit lui-même ; indiquez les adresses ou CIDR de vos proxys inverses (par ex. TRUST_PROXY=127.0.0.1 ou 10.0.0.0/8)`,
      );
    }
    if (typeof entry === "number" || (typeof entry === "string" && /^\d+$/.test(entry))) {
      throw new TrustProxyError(
        `a hop count (${String(entry)}) cannot tell a proxy from a client that reaches the relayer directly, and Fastify ignores it; list your reverse proxies' addresses or CIDRs instead`,
        `un nombre de sauts (${String(entry)}) ne distingue pas un proxy d'un client qui joint directement le relais, et Fastify l'ignore ; indiquez plutôt les adresses ou CIDR de vos proxys inverses`,
      );
    }
    if (typeof entry !== "string" || entry === "") {
      throw new TrustProxyError(`"${String(entry)}" is not an address`, `« ${String(entry)} » n'est pas une adresse`);
    }
    if (PROXY_RANGE_NAMES.has(entry)) return entry;
    const slash = entry.lastIndexOf("/");
    const address = slash < 0 ? entry : entry.slice(0, slash);
    const range = slash < 0 ? null : entry.slice(slash + 1);
    const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : 0;
    const bits =
      range === null
        ? family === 4
          ? 32
          : 128
        : /^\d+$/.test(range)
          ? Number(range)
          : family === 4 && isIPv4(range)
            ? range.split(".").reduce((n, part) => n + (Number(part).toString(2).match(/1/g)?.length ?? 0), 0)
            : Number.NaN;
    if (family === 0 || !(bits >= 0 && bits <= (family === 4 ? 32 : 128))) {
      throw new TrustProxyError(
        `"${entry}" is not an address, a CIDR or one of loopback, linklocal, uniquelocal`,
        `« ${entry} » n'est ni une adresse, ni un CIDR, ni l'un de loopback, linklocal, uniquelocal`,
      );
    }
    if (bits === 0) {
      throw new TrustProxyError(
        `"${entry}" is every address: it would trust every client's X-Forwarded-For; list your reverse proxies' addresses`,
        `« ${entry} » couvre toutes les adresses : il ferait croire l'en-tête X-Forwarded-For de n'importe quel client ; indiquez les adresses de vos proxys inverses`,
      );
    }
    return entry;
  });
}

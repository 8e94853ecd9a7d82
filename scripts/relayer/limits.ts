/**
 * Rate limits per network prefix, in bounded memory.
 *
 * A client is its IPv4 address, or the /64 its IPv6 address belongs to (one household or one
 * server gets a whole /64, so counting single IPv6 addresses would limit nothing). IPv4-mapped
 * IPv6 addresses count as IPv4. Each client has a token bucket (`burst` tokens, refilled at
 * `perSecond`). Nothing is written to disk; in memory, the key is the prefix only.
 *
 * Memory: at most `capacity` buckets, in a Map kept in least-recently-used order. A bucket
 * untouched for `burst / perSecond` seconds is full again, i.e. the same as no bucket at all, so
 * evicting it loses nothing: the oldest such buckets are evicted one by one as new clients come.
 * When every bucket is still refilling (more than `capacity` distinct prefixes within one refill
 * time: a flood), no bucket is evicted, since that would hand a throttled client a fresh one;
 * newcomers then share one overflow bucket, so the flood limits itself and nobody's limit resets.
 *
 * Why our own and not @fastify/rate-limit: its LRU store (toad-cache) evicts the least recently
 * used entry whatever its state, so a crowd of fresh /64s pushes a throttled client's counter out
 * and resets it, which is the very attack to stop; it also counts fixed windows per key, not a
 * bucket that says exactly when the next request is allowed (Retry-After).
 */
import { isIPv4, isIPv6 } from "node:net";

export interface RateLimitOptions {
  perSecond: number;
  burst: number;
  /** Most buckets kept in memory (default 100,000: about 10 MB). */
  capacity?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Seconds until one token is back (for Retry-After), when refused. */
  retryAfterSeconds: number;
}

/** The prefix a rate limit counts: the IPv4 address, or the IPv6 /64 as 4 hex groups + "::/64". */
export function clientPrefix(address: string | undefined): string {
  if (!address) return "unknown";
  let a = address.trim();
  const zone = a.indexOf("%");
  if (zone >= 0) a = a.slice(0, zone);
  if (isIPv4(a)) return a;
  if (!isIPv6(a)) return "unknown";
  const lower = a.toLowerCase();
  const mapped =
    /^(?:0{0,4}:){0,5}(?:0{0,4}:)?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower) ??
    /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  return `${expandIPv6(lower).slice(0, 4).join(":")}::/64`;
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
    return this.spend(bucket, now);
  }

  private spend(bucket: Bucket, now: number): TakeResult {
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond)) };
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

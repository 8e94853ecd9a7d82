/**
 * The dApp's Content-Security-Policy, spelled once: the `<meta>` tag frontend/vite.config.ts writes
 * into every built index.html (so a static host with no headers still enforces it), the header the
 * local stack's server sends (scripts/demo/server.ts), and the header of deploy/nginx/bascule.conf,
 * the web server config docs/operator-guide.md gives (frontend/src/lib/csp.test.ts holds it to this file).
 *
 * The dApp talks to its own origin only: scripts, styles, workers and connections from `'self'`;
 * `'wasm-unsafe-eval'` lets the check-in page compile its QR reader (WebAssembly, from this origin)
 * and allows no `eval` of strings; images may also be `data:` (QR codes). No inline script or style,
 * no plugin, no `<base>`, forms post nowhere else, and no other site may frame the dApp.
 */

/** Each directive and its sources. */
export const CSP_DIRECTIVES = {
  "default-src": ["'self'"],
  "script-src": ["'self'", "'wasm-unsafe-eval'"],
  "style-src": ["'self'"],
  "img-src": ["'self'", "data:"],
  "connect-src": ["'self'"],
  "worker-src": ["'self'"],
  "manifest-src": ["'self'"],
  "object-src": ["'none'"],
  "base-uri": ["'none'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
} as const satisfies Record<string, readonly string[]>;

export type CspDirective = keyof typeof CSP_DIRECTIVES;

/** Directives a `<meta>` tag cannot carry (CSP Level 3, §4.2): a browser ignores them there. */
export const CSP_HEADER_ONLY: readonly CspDirective[] = ["frame-ancestors"];

/**
 * Whether `source` may be added to `connect-src`: `'self'`, an https origin, or plain http to this
 * machine (tests). The one rule both the policy and the release config (scripts/kit/release.ts) apply.
 * @example connectSourceAllowed("https://rpc.example") // true; connectSourceAllowed("http://rpc.example") // false
 */
export function connectSourceAllowed(source: string): boolean {
  return (
    source === "'self'" ||
    /^(https:\/\/[a-z0-9.-]+(:[0-9]{1,5})?|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?)$/.test(source)
  );
}

/**
 * The directives with `connect-src` widened to the origins a release's config.json names (a
 * static release whose RPC or services live elsewhere: scripts/kit/release.ts). Only `'self'` and
 * https origins (http to localhost, for tests) may be added: anything else throws.
 * @example cspDirectives(["https://rpc.example"])["connect-src"] // ["'self'", "https://rpc.example"]
 */
export function cspDirectives(connectSrc: readonly string[] = []): Record<CspDirective, readonly string[]> {
  for (const source of connectSrc) {
    if (!connectSourceAllowed(source)) throw new Error(`connect-src: ${JSON.stringify(source)} is not an https origin`);
  }
  const connect = [...new Set<string>([...CSP_DIRECTIVES["connect-src"], ...connectSrc])];
  return { ...CSP_DIRECTIVES, "connect-src": connect };
}

const serialize = (directives: Record<CspDirective, readonly string[]>, names: CspDirective[]) =>
  names.map((d) => [d, ...directives[d]].join(" ")).join("; ");

/**
 * The policy as an HTTP `Content-Security-Policy` header: every directive.
 * @example cspHeader() // "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; … frame-ancestors 'none'"
 */
export function cspHeader(connectSrc: readonly string[] = []): string {
  return serialize(cspDirectives(connectSrc), Object.keys(CSP_DIRECTIVES) as CspDirective[]);
}

/** The policy as the `content` of `<meta http-equiv="Content-Security-Policy">`: without the header-only directives. */
export function cspMeta(connectSrc: readonly string[] = []): string {
  return serialize(
    cspDirectives(connectSrc),
    (Object.keys(CSP_DIRECTIVES) as CspDirective[]).filter((d) => !CSP_HEADER_ONLY.includes(d)),
  );
}

/**
 * A policy string read back into its directives (names lower-cased, sources in order), to compare
 * what a server or a page carries with this one whatever the spacing.
 * @example parseCsp("default-src 'self';img-src 'self' data:") // { "default-src": ["'self'"], "img-src": ["'self'", "data:"] }
 */
export function parseCsp(policy: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of policy.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out[name.toLowerCase()] = sources;
  }
  return out;
}

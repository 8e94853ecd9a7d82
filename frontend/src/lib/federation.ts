/**
 * The fediverse handle of a campaign's actor on the federation service (scripts/federation,
 * docs/federation.md): `@campaign-0x…@<host>`, the address in lower case (a WebFinger user part is
 * case-sensitive), `<host>` the operator's domain (AppConfig.federationHost).
 * @example fediverseHandle("0xAbC…", "fed.example") // "@campaign-0xabc…@fed.example"
 */
export function fediverseHandle(campaign: string, host: string): string {
  return `@campaign-${campaign.toLowerCase()}@${host}`;
}

/**
 * Recovers a pledge's signer in this process with libsecp256k1 (the `secp256k1` package's native
 * binding, prebuilt for linux-x64, darwin-arm64 and win32-x64): about 60 µs a signature on an idle
 * core, against a JSON-RPC round trip to the node for the batched precompile (chain.ts,
 * BatchRecoverer), which the profile showed the relayer waiting on most of the time. Where the
 * binding cannot load, `nativeRecoverer()` is null and the relayer falls back to BatchRecoverer.
 */
import { createRequire } from "node:module";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { type Address, type Hex, getAddress } from "viem";
import { RelayerError } from "./errors.js";

/** secp256k1 group order / 2: signatures with a higher s are refused (malleability), as the contract does. */
const HALF_N = Buffer.from("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0", "hex");
const ZERO32 = Buffer.alloc(32);

interface NativeSecp256k1 {
  ecdsaRecover(signature: Uint8Array, recid: number, message: Uint8Array, compressed?: boolean): Uint8Array;
}

let binding: NativeSecp256k1 | null | undefined;

function load(): NativeSecp256k1 | null {
  if (binding === undefined) {
    try {
      // The native binding only: the package's pure-JS fallback (elliptic) would be slower than the node.
      binding = createRequire(import.meta.url)("secp256k1/bindings.js") as NativeSecp256k1;
    } catch {
      binding = null;
    }
  }
  return binding;
}

export interface Recoverer {
  recover(digest: Uint8Array, r: Hex, vs: Hex): Address;
}

/** The native recoverer, or null where the binding does not load on this platform. */
export function nativeRecoverer(): Recoverer | null {
  const secp = load();
  if (!secp) return null;
  const signature = Buffer.alloc(64);
  const rPart = signature.subarray(0, 32);
  const sPart = signature.subarray(32);
  return {
    recover(digest: Uint8Array, r: Hex, vs: Hex): Address {
      // r and vs are 0x + 64 hex digits (checked by the route's schema).
      signature.write(r.slice(2), 0, 32, "hex");
      signature.write(vs.slice(2), 32, 32, "hex");
      const recid = signature[32] >> 7;
      signature[32] &= 0x7f;
      if (rPart.equals(ZERO32) || sPart.equals(ZERO32) || sPart.compare(HALF_N) > 0)
        throw new RelayerError("INVALID_SIGNATURE");
      let publicKey: Uint8Array;
      try {
        publicKey = secp.ecdsaRecover(signature, recid, digest, false);
      } catch {
        throw new RelayerError("INVALID_SIGNATURE");
      }
      return getAddress(`0x${Buffer.from(keccak_256(publicKey.subarray(1)).subarray(12)).toString("hex")}`);
    },
  };
}

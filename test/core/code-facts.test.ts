/**
 * solc's metadata read from the end of runtime code: the CBOR map decoded, anything else refused.
 * (The three facts read from a chain are tested with the CLI in clone.test.ts and on the dApp's
 * verify page in CodeFacts.test.tsx.)
 */
import { expect } from "chai";
import { type Hex, concat } from "viem";
import { decodeMetadata, metadataOf } from "@bascule/core/code-facts";
import { readArtifact } from "../../scripts/lib/deployment.js";

// a2 64 'ipfs' 58 22 <34 bytes> 64 'solc' 43 <0.8.37>, then its length (0x0033 = 51 bytes).
const METADATA = `0xa2646970667358221220${"ab".repeat(32)}64736f6c6343000825` as Hex;

describe("code-facts: solc metadata", function () {
  it("decodes the compiler version and the metadata file's IPFS hash", function () {
    expect(decodeMetadata(concat(["0x6080", METADATA, "0x0033"]))).to.deep.equal({
      cbor: METADATA,
      ipfs: `0x1220${"ab".repeat(32)}`,
      solc: "0.8.37",
    });
  });

  it("reads the build's own implementation", async function () {
    const artifact = await readArtifact("Campaign");
    const m = decodeMetadata(artifact.deployedBytecode);
    expect(m?.solc).to.equal("0.8.37");
    expect(m?.ipfs).to.match(/^0x1220[0-9a-f]{64}$/);
    expect(metadataOf(artifact.deployedBytecode)).to.equal(m?.cbor);
  });

  it("refuses a tail that is not solc's CBOR map", function () {
    expect(metadataOf("0x")).to.equal(null);
    expect(metadataOf("0x0033")).to.equal(null);
    // An ERC-1167 proxy: its last two bytes are no length.
    expect(
      metadataOf("0x363d3d373d3d3d363d735fbdb2315678afecb367f032d93f642f64180aa35af43d82803e903d91602b57fd5bf3"),
    ).to.equal(null);
    // The right length, but not CBOR (a lone break code), or CBOR that is no map.
    expect(metadataOf("0x6080ff0001")).to.equal(null);
    expect(metadataOf("0x6080430008250004")).to.equal(null);
  });
});

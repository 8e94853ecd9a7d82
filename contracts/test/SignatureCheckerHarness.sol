// SPDX-License-Identifier: AGPL-3.0-or-later
pragma solidity ^0.8.28;

import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// @dev Test only: OpenZeppelin's SignatureChecker as the campaign calls it on a voucher, so the
/// verifier is tested on the exact path the campaign takes (ERC-1271 for a contract attester).
contract SignatureCheckerHarness {
    function isValidSignatureNow(
        address signer,
        bytes32 digest,
        bytes calldata signature
    ) external view returns (bool) {
        return SignatureChecker.isValidSignatureNow(signer, digest, signature);
    }
}

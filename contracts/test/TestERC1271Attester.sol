// SPDX-License-Identifier: AGPL-3.0-or-later
pragma solidity ^0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/// @notice A trivial contract attester (tests and gas benchmark only): a voucher is valid if it is the
/// 32-byte keccak256(secret, digest). It stands for a real verifier (e.g. RsaVoucherVerifier, RSA blind
/// signatures) so the campaign's own ERC-1271 path can be tested and measured without the verifier's cost.
contract TestERC1271Attester is IERC1271 {
    bytes32 internal immutable _SECRET;

    constructor(bytes32 secret) {
        _SECRET = secret;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (signature.length == 32 && bytes32(signature) == keccak256(abi.encode(_SECRET, hash))) {
            return IERC1271.isValidSignature.selector;
        }
        return 0xffffffff;
    }
}

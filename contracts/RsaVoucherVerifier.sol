// SPDX-License-Identifier: AGPL-3.0-or-later
pragma solidity ^0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {IRsaVoucherVerifier} from "./interfaces/IRsaVoucherVerifier.sol";

/// @title RsaVoucherVerifier
/// @notice One per gated campaign: the campaign's attester, checking RSA-FDH blind vouchers with the
/// modexp precompile (EIP-198, priced by EIP-2565, and by EIP-7883 since Osaka). It is bound to one
/// campaign, fixed at construction (the campaign's address is predicted: `CampaignFactory.predictCampaign`),
/// and answers "invalid" to any other caller: a look-alike campaign naming it takes no voucher. See
/// docs/blind-vouchers.md.
contract RsaVoucherVerifier is IRsaVoucherVerifier {
    /// @notice Size of the modulus and of a signature, in bytes (2048 bits).
    uint256 public constant MODULUS_BYTES = 256;

    bytes4 internal constant _VALID = IERC1271.isValidSignature.selector;
    bytes4 internal constant _INVALID = 0xffffffff;
    address internal constant _MODEXP = address(0x05);

    // The modulus lives in the bytecode (immutables): no storage read per voucher.
    uint256 internal immutable _n0;
    uint256 internal immutable _n1;
    uint256 internal immutable _n2;
    uint256 internal immutable _n3;
    uint256 internal immutable _n4;
    uint256 internal immutable _n5;
    uint256 internal immutable _n6;
    uint256 internal immutable _n7;

    /// @inheritdoc IRsaVoucherVerifier
    uint256 public immutable exponent;

    /// @inheritdoc IRsaVoucherVerifier
    address public immutable campaign;

    /// @notice Fixes the union's public key and the one campaign it vouches for; they can never change.
    /// @param n The RSA modulus, 256 bytes big-endian, top bit set, odd.
    /// @param e The public exponent: odd, at least 3, below 2^32 (bounds the modexp gas).
    /// @param campaign_ The campaign whose attester this is (its predicted address), not zero.
    constructor(bytes memory n, uint256 e, address campaign_) {
        if (n.length != MODULUS_BYTES || uint8(n[0]) < 0x80 || uint8(n[MODULUS_BYTES - 1]) & 1 == 0) {
            revert InvalidModulus();
        }
        if (e < 3 || e & 1 == 0 || e >= 2 ** 32) revert InvalidExponent(e);
        uint256[8] memory w = _words(n);
        (_n0, _n1, _n2, _n3) = (w[0], w[1], w[2], w[3]);
        (_n4, _n5, _n6, _n7) = (w[4], w[5], w[6], w[7]);
        exponent = e;
        if (campaign_ == address(0)) revert ZeroCampaign();
        campaign = campaign_;
    }

    /// @inheritdoc IRsaVoucherVerifier
    function isValidSignature(bytes32 digest, bytes calldata signature) external view returns (bytes4) {
        // Only its campaign asks (SignatureChecker's static call): a look-alike naming it gets "invalid".
        if (msg.sender != campaign) return _INVALID;
        if (signature.length != MODULUS_BYTES) return _INVALID;
        bytes memory n = modulus();
        // The signature must be a residue (< n): otherwise s and s + n would both verify.
        if (!_lessThan(signature, n)) return _INVALID;
        // EIP-198 input: lengths of base, exponent and modulus, then the three numbers.
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory result) = _MODEXP.staticcall(
            abi.encodePacked(MODULUS_BYTES, uint256(32), MODULUS_BYTES, signature, exponent, n)
        );
        // The precompile returns exactly MODULUS_BYTES bytes; it fails only when out of gas.
        return ok && keccak256(result) == keccak256(fdh(digest)) ? _VALID : _INVALID;
    }

    /// @inheritdoc IRsaVoucherVerifier
    function modulus() public view returns (bytes memory) {
        return abi.encodePacked(_n0, _n1, _n2, _n3, _n4, _n5, _n6, _n7);
    }

    /// @inheritdoc IRsaVoucherVerifier
    function fdh(bytes32 digest) public pure returns (bytes memory) {
        bytes32 top =
            keccak256(abi.encodePacked(digest, uint32(0))) &
                0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff;
        return
            abi.encodePacked(
                top,
                keccak256(abi.encodePacked(digest, uint32(1))),
                keccak256(abi.encodePacked(digest, uint32(2))),
                keccak256(abi.encodePacked(digest, uint32(3))),
                keccak256(abi.encodePacked(digest, uint32(4))),
                keccak256(abi.encodePacked(digest, uint32(5))),
                keccak256(abi.encodePacked(digest, uint32(6))),
                keccak256(abi.encodePacked(digest, uint32(7)))
            );
    }

    /// @dev Big-endian comparison of a 256-byte calldata number with the 256-byte modulus.
    function _lessThan(bytes calldata a, bytes memory b) internal pure returns (bool) {
        uint256[8] memory bw = _words(b);
        for (uint256 i = 0; i < 8; ++i) {
            uint256 aw = uint256(bytes32(a[i * 32:(i + 1) * 32]));
            if (aw != bw[i]) return aw < bw[i];
        }
        return false;
    }

    /// @dev The eight 32-byte words of a 256-byte big-endian number.
    function _words(bytes memory b) internal pure returns (uint256[8] memory w) {
        for (uint256 i = 0; i < 8; ++i) {
            uint256 word;
            uint256 offset = 32 * (i + 1);
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                word := mload(add(b, offset))
            }
            w[i] = word;
        }
    }
}

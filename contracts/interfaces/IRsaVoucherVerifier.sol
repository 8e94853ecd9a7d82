// SPDX-License-Identifier: AGPL-3.0-or-later
pragma solidity ^0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/// @title Blind-voucher verifier (RSA full-domain hash, Chaum blind signatures)
/// @notice The attester of a gated campaign whose union vouches for members with blind signatures.
/// It holds one 2048-bit RSA public key (n, e) and answers ERC-1271: a voucher is valid for a
/// digest when `voucher^e mod n == FDH(digest)`. The union signs blinded messages, so it never sees
/// the pledge key it vouches for. Construction and references: docs/blind-vouchers.md.
interface IRsaVoucherVerifier is IERC1271 {
    /// @notice Raised by the constructor when the modulus is not exactly 256 bytes with its top bit
    /// set (a 2048-bit number), or is even.
    error InvalidModulus();
    /// @notice Raised by the constructor when the public exponent is even, below 3, or not below 2^32.
    /// @param exponent The exponent given.
    error InvalidExponent(uint256 exponent);
    /// @notice Raised by the constructor when the campaign is the zero address.
    error ZeroCampaign();

    /// @notice Returns the ERC-1271 magic value 0x1626ba7e when the caller is `campaign()` and
    /// `signature` is a 256-byte integer below n with `signature^e mod n == FDH(digest)`, and 0xffffffff
    /// otherwise (never reverts on a malformed signature).
    /// @param digest The EIP-712 digest of `Voucher(address pledgeKey)` under the campaign's domain.
    /// @param signature The unblinded RSA signature, 256 bytes big-endian.
    /// @return magicValue 0x1626ba7e if valid, 0xffffffff if not.
    function isValidSignature(bytes32 digest, bytes calldata signature) external view returns (bytes4 magicValue);

    /// @notice The RSA modulus n, 256 bytes big-endian.
    /// @return n The modulus.
    function modulus() external view returns (bytes memory n);

    /// @notice The one campaign this verifier vouches for: `isValidSignature` answers "invalid" to any
    /// other caller. The dApp checks it before a member spends an invite code.
    /// @return campaign The campaign's address.
    function campaign() external view returns (address campaign);

    /// @notice The RSA public exponent e (3 for keys made by the attester service: cheapest modexp).
    /// @return e The exponent.
    function exponent() external view returns (uint256 e);

    /// @notice The full-domain hash of a digest: keccak256(digest ‖ uint32 counter) for counters 0..7,
    /// concatenated (256 bytes), top bit cleared so the value is below any 2048-bit modulus.
    /// @param digest The 32-byte message.
    /// @return encoded The 256-byte big-endian representative that a valid signature maps to.
    function fdh(bytes32 digest) external pure returns (bytes memory encoded);
}

// SPDX-License-Identifier: AGPL-3.0-or-later
pragma solidity ^0.8.28;

/// @notice The few cheatcodes these tests use (Hardhat 3 / EDR implements Foundry's cheatcode address).
/// forge-std cannot be installed here, so this is the minimal subset, with Foundry's signatures.
interface Vm {
    function warp(uint256 newTimestamp) external;
    function prank(address msgSender) external;
    function deal(address account, uint256 newBalance) external;
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function addr(uint256 privateKey) external pure returns (address);
    function assume(bool condition) external pure;
    function expectRevert(bytes4 revertData) external;
    function expectRevert(bytes calldata revertData) external;
}

/// @notice What the invariant runner reads to know which contract and functions to call at random.
struct FuzzSelector {
    address addr;
    bytes4[] selectors;
}

abstract contract CheatBase {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @dev Maps any seed into [min, max] (both included).
    function _bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        return min + (x % (max - min + 1));
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
pragma solidity ^0.8.28;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {ICampaign} from "./interfaces/ICampaign.sol";
import {ICampaignFactory} from "./interfaces/ICampaignFactory.sol";
import {Campaign} from "./Campaign.sol";

/// @title Bascule campaign factory
/// @notice Each campaign is an ERC-1167 clone of one implementation, with its parameters appended to
/// its bytecode: they cannot change, and the organiser keeps no power over the campaign or its funds.
contract CampaignFactory is ICampaignFactory {
    uint256 internal constant _MAX_LEVELS = 64;
    uint256 internal constant _SUPPORT_CAP_MAX = (1 << 90) - 1;
    uint256 internal constant _FINAL_LOCK_MAX = 7 days;
    uint256 internal constant _MAX_CONDITIONS = 2;
    uint256 internal constant _FULL_COVERAGE = 10_000;

    /// @inheritdoc ICampaignFactory
    address public immutable implementation;

    /// @inheritdoc ICampaignFactory
    mapping(address campaign => bool) public isCampaign;

    constructor() {
        implementation = address(new Campaign());
    }

    /// @inheritdoc ICampaignFactory
    function createCampaign(
        ICampaign.CampaignParams calldata params,
        string calldata metadataURI,
        bytes32 salt
    ) external returns (address campaign) {
        _validate(params);
        campaign = Clones.cloneDeterministicWithImmutableArgs(
            implementation,
            _encodeArgs(msg.sender, params),
            _salt(msg.sender, salt)
        );
        isCampaign[campaign] = true;
        ICampaign(campaign).initialize();
        emit CampaignCreated(campaign, msg.sender, params.token, params, metadataURI);
    }

    /// @inheritdoc ICampaignFactory
    function predictCampaign(
        address organiser,
        ICampaign.CampaignParams calldata params,
        bytes32 salt
    ) external view returns (address) {
        return
            Clones.predictDeterministicAddressWithImmutableArgs(
                implementation,
                _encodeArgs(organiser, params),
                _salt(organiser, salt)
            );
    }

    function _validate(ICampaign.CampaignParams calldata p) internal view {
        uint256 length = p.ladder.length;
        if (length == 0 || length > _MAX_LEVELS) revert InvalidLadderLength(length);
        uint32 previous = 0;
        for (uint256 i = 0; i < length; ++i) {
            uint32 level = p.ladder[i];
            if (level <= previous) revert LadderNotIncreasing(i, level);
            previous = level;
        }
        if (p.pledgeDeadline <= block.timestamp) revert DeadlineNotInFuture(p.pledgeDeadline, block.timestamp);
        if (p.finalLock > _FINAL_LOCK_MAX || p.finalLock >= p.pledgeDeadline - block.timestamp) {
            revert InvalidFinalLock(p.finalLock);
        }
        if (p.actionDate < p.pledgeDeadline) revert ActionBeforeDeadline(p.actionDate, p.pledgeDeadline);
        if (p.claimWindow == 0) revert ZeroClaimWindow();
        if ((p.oracle == address(0)) != (p.oracleWindow == 0)) revert OracleWindowMismatch(p.oracle, p.oracleWindow);
        if (uint256(p.actionDate) + p.oracleWindow + p.claimWindow > type(uint64).max) revert WindowTooLong();
        if (p.supportCap > _SUPPORT_CAP_MAX) revert SupportCapTooLarge(p.supportCap);
        // Money needs a gate: without an attester or an oracle, throw-away keys could take the donations.
        if (p.supportCap != 0 && p.attester == address(0) && p.oracle == address(0)) revert GateRequired();
        if (p.metadataHash == bytes32(0)) revert MissingMetadataHash();
        uint256 conditions = p.conditions.length;
        if (conditions > _MAX_CONDITIONS) revert TooManyConditions(conditions);
        uint16 below = 0;
        for (uint256 i = 0; i < conditions; ++i) {
            uint16 condition = p.conditions[i];
            if (condition <= below || condition > _FULL_COVERAGE) revert InvalidCondition(i, condition);
            below = condition;
        }
        // A condition is on support: without a cap nobody requests any, so there is nothing to cover.
        if (conditions != 0 && p.supportCap == 0) revert ConditionsWithoutSupport();
    }

    /// @dev Layout read by Campaign._config: organiser, token, attester, oracle (20 bytes each),
    /// pledgeDeadline, finalLock, actionDate, oracleWindow, claimWindow (8 each), supportCap (16),
    /// metadataHash (32), conditions c_1 and c_2 (2 each, 0 when absent), then the ladder as 4-byte levels.
    function _encodeArgs(address organiser, ICampaign.CampaignParams calldata p) internal pure returns (bytes memory) {
        bytes memory ladder = new bytes(p.ladder.length * 4);
        for (uint256 i = 0; i < p.ladder.length; ++i) {
            uint32 level = p.ladder[i];
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                let at := add(add(ladder, 32), mul(i, 4))
                mstore(at, or(shl(224, level), and(mload(at), sub(shl(224, 1), 1))))
            }
        }
        return
            abi.encodePacked(
                organiser,
                p.token,
                p.attester,
                p.oracle,
                p.pledgeDeadline,
                p.finalLock,
                p.actionDate,
                p.oracleWindow,
                p.claimWindow,
                p.supportCap,
                p.metadataHash,
                p.conditions.length > 0 ? p.conditions[0] : uint16(0),
                p.conditions.length > 1 ? p.conditions[1] : uint16(0),
                ladder
            );
    }

    function _salt(address organiser, bytes32 salt) internal pure returns (bytes32) {
        return keccak256(abi.encode(organiser, salt));
    }
}

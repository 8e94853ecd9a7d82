// SPDX-License-Identifier: AGPL-3.0-or-later
pragma solidity ^0.8.28;

import {ICampaign} from "./ICampaign.sol";

/// @title Bascule campaign factory
/// @notice Creates campaigns as minimal clones whose parameters are baked into their bytecode.
interface ICampaignFactory {
    /// @notice Emitted when a campaign is created; every parameter is in the log.
    /// @param campaign The new campaign's address.
    /// @param organiser The account that created it.
    /// @param token The campaign's token, address(0) for ETH.
    /// @param params Every parameter, as the campaign holds them in its bytecode.
    /// @param metadataURI Where the description lives (its keccak256 is params.metadataHash).
    event CampaignCreated(
        address indexed campaign,
        address indexed organiser,
        address indexed token,
        ICampaign.CampaignParams params,
        string metadataURI
    );

    /// @notice Raised when the ladder is empty or longer than 64 levels.
    /// @param length The ladder's length.
    error InvalidLadderLength(uint256 length);
    /// @notice Raised when a ladder level is 0 or not strictly above the one before it.
    /// @param index The position of the level in the ladder, from 0.
    /// @param level Its threshold.
    error LadderNotIncreasing(uint256 index, uint32 level);
    /// @notice Raised when the pledge deadline is not in the future.
    /// @param deadline The pledge deadline given.
    /// @param nowTimestamp block.timestamp.
    error DeadlineNotInFuture(uint64 deadline, uint256 nowTimestamp);
    /// @notice Raised when the action date is before the pledge deadline.
    /// @param actionDate The action date given.
    /// @param deadline The pledge deadline given.
    error ActionBeforeDeadline(uint64 actionDate, uint64 deadline);
    /// @notice Raised when the claim window is zero.
    error ZeroClaimWindow();
    /// @notice Raised when an oracle is set without a window, or a window without an oracle.
    /// @param oracle The oracle given.
    /// @param oracleWindow The oracle window given.
    error OracleWindowMismatch(address oracle, uint64 oracleWindow);
    /// @notice Raised when dates plus windows would not fit in 64 bits.
    error WindowTooLong();
    /// @notice Raised when the support cap exceeds what a level can account for (2^90 - 1).
    /// @param cap The support cap given.
    error SupportCapTooLarge(uint128 cap);
    /// @notice Raised when the support cap is above zero with neither an attester nor an oracle.
    error GateRequired();
    /// @notice Raised when the final lock exceeds 7 days or is not shorter than the time left to the deadline.
    /// @param finalLock The final lock given.
    error InvalidFinalLock(uint64 finalLock);
    /// @notice Raised when the metadata hash is zero.
    error MissingMetadataHash();
    /// @notice Raised when more than 2 conditions are given.
    /// @param count The number of conditions given.
    error TooManyConditions(uint256 count);
    /// @notice Raised when the conditions are not strictly increasing from above 0, or one exceeds 10,000 basis points.
    /// @param index The position of the first condition out of order or range.
    /// @param condition Its value, in basis points.
    error InvalidCondition(uint256 index, uint16 condition);
    /// @notice Raised when conditions are given on a campaign whose support cap is 0 (nobody can request support).
    error ConditionsWithoutSupport();

    /// @notice The campaign implementation every clone delegates to.
    /// @return The implementation's address, deployed by this factory's constructor.
    function implementation() external view returns (address);

    /// @notice Whether an address is a campaign created by this factory.
    /// @param campaign The address to check.
    /// @return True if createCampaign made it.
    function isCampaign(address campaign) external view returns (bool);

    /// @notice Creates a campaign; msg.sender becomes its organiser.
    /// @param params The campaign's parameters, validated here.
    /// @param metadataURI Where the description lives (its keccak256 is params.metadataHash).
    /// @param salt Chosen by the organiser; with the organiser and parameters, fixes the campaign's address.
    /// @return campaign The new campaign's address.
    function createCampaign(
        ICampaign.CampaignParams calldata params,
        string calldata metadataURI,
        bytes32 salt
    ) external returns (address campaign);

    /// @notice The address createCampaign would give for these arguments.
    /// @param organiser The account that would call createCampaign.
    /// @param params The parameters it would pass.
    /// @param salt The salt it would pass.
    /// @return The campaign's address (CREATE2, from this factory).
    function predictCampaign(
        address organiser,
        ICampaign.CampaignParams calldata params,
        bytes32 salt
    ) external view returns (address);
}

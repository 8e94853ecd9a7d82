// SPDX-License-Identifier: AGPL-3.0-or-later
pragma solidity ^0.8.28;

import {BasculeMath} from "../libraries/BasculeMath.sol";

/// @notice Exposes the internal BasculeMath library to its tests.
contract BasculeMathHarness {
    function share(uint256 amount, uint256 numerator, uint256 denominator) external pure returns (uint256) {
        return BasculeMath.share(amount, numerator, denominator);
    }

    function paidOut(uint256 triggeredDonations, uint256 requestedSupport) external pure returns (uint256) {
        return BasculeMath.paidOut(triggeredDonations, requestedSupport);
    }

    function supportShare(uint256 support, uint256 triggered, uint256 requested) external pure returns (uint256) {
        return BasculeMath.supportShare(support, triggered, requested);
    }

    function surplusShare(uint256 donation, uint256 triggered, uint256 requested) external pure returns (uint256) {
        return BasculeMath.surplusShare(donation, triggered, requested);
    }

    function remainderShare(
        uint256 donation,
        uint256 triggered,
        uint256 requested,
        uint256 claimedTotal
    ) external pure returns (uint256) {
        return BasculeMath.remainderShare(donation, triggered, requested, claimedTotal);
    }
}

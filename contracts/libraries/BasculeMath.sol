// SPDX-License-Identifier: AGPL-3.0-or-later
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title The mechanism's arithmetic (docs/MECHANISM.md, "Resolution", points 4 and 5)
/// @notice Pure functions mirrored one for one by `packages/core/src/model.ts`. Every division rounds
/// down, so the escrow never pays out more than it holds.
library BasculeMath {
    /// @notice floor(amount * numerator / denominator), and 0 when the denominator is 0.
    /// @param amount The amount shared.
    /// @param numerator The share's numerator.
    /// @param denominator The share's denominator.
    function share(uint256 amount, uint256 numerator, uint256 denominator) internal pure returns (uint256) {
        if (denominator == 0) return 0;
        return Math.mulDiv(amount, numerator, denominator);
    }

    /// @notice paid = min(F, R): what the triggered donations pay to the triggered beneficiaries.
    /// @param triggeredDonations F.
    /// @param requestedSupport R.
    function paidOut(uint256 triggeredDonations, uint256 requestedSupport) internal pure returns (uint256) {
        return Math.min(triggeredDonations, requestedSupport);
    }

    /// @notice floor(s * paid / R): a triggered beneficiary's support.
    /// @param support s, the beneficiary's support request.
    /// @param triggeredDonations F.
    /// @param requestedSupport R.
    function supportShare(
        uint256 support,
        uint256 triggeredDonations,
        uint256 requestedSupport
    ) internal pure returns (uint256) {
        return share(support, paidOut(triggeredDonations, requestedSupport), requestedSupport);
    }

    /// @notice floor(D * (F - paid) / F): a triggered donation's share of the surplus.
    /// @param donation D, the donation's amount.
    /// @param triggeredDonations F.
    /// @param requestedSupport R.
    function surplusShare(
        uint256 donation,
        uint256 triggeredDonations,
        uint256 requestedSupport
    ) internal pure returns (uint256) {
        uint256 paid = paidOut(triggeredDonations, requestedSupport);
        return share(donation, triggeredDonations - paid, triggeredDonations);
    }

    /// @notice floor(D * (paid - claimed) / F): a triggered donation's share of support left unclaimed.
    /// @param donation D, the donation's amount.
    /// @param triggeredDonations F.
    /// @param requestedSupport R.
    /// @param claimedTotal claimed, everything paid out of `paid` so far, fees included.
    function remainderShare(
        uint256 donation,
        uint256 triggeredDonations,
        uint256 requestedSupport,
        uint256 claimedTotal
    ) internal pure returns (uint256) {
        uint256 paid = paidOut(triggeredDonations, requestedSupport);
        return share(donation, paid - claimedTotal, triggeredDonations);
    }
}

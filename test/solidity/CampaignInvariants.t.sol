// SPDX-License-Identifier: AGPL-3.0-or-later
pragma solidity ^0.8.28;

import {ICampaign} from "../../contracts/interfaces/ICampaign.sol";
import {CampaignHandler} from "./CampaignHandler.sol";
import {CheatBase, FuzzSelector} from "./Vm.sol";

/// @notice The guarantees of MECHANISM.md as invariants: random sequences of calls on one campaign
/// (through CampaignHandler), checked after every call. See docs/testing.md.
contract CampaignInvariantTest is CheatBase {
    error SolvencyBroken(uint256 held, uint256 owed);
    error AccountingBroken(uint256 held, uint256 expected);
    error SpecificationBroken(uint256 violations, uint256 lastCode);
    error LivenessNotChecked(bytes reason);

    CampaignHandler internal handler;
    ICampaign internal campaign;

    function setUp() public {
        // Ten levels across the boundary of the packed count words (8 levels each).
        uint32[] memory ladder = new uint32[](10);
        uint32[10] memory levels = [uint32(1), 3, 4, 6, 8, 9, 10, 12, 13, 15];
        for (uint256 i = 0; i < 10; ++i) ladder[i] = levels[i];
        handler = new CampaignHandler(ladder);
        campaign = handler.campaign();
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](11);
        selectors[0] = CampaignHandler.pledge.selector;
        selectors[1] = CampaignHandler.pledgeTwo.selector;
        selectors[2] = CampaignHandler.donate.selector;
        selectors[3] = CampaignHandler.withdrawDonation.selector;
        selectors[4] = CampaignHandler.warp.selector;
        selectors[5] = CampaignHandler.resolve.selector;
        selectors[6] = CampaignHandler.claim.selector;
        selectors[7] = CampaignHandler.reclaim.selector;
        selectors[8] = CampaignHandler.withdrawFees.selector;
        selectors[9] = CampaignHandler.claim.selector; // claims twice as likely
        selectors[10] = CampaignHandler.publish.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector(address(handler), selectors);
    }

    /// @notice Solvency: at every moment the escrow holds at least everything still owed
    /// (refunds, surplus shares, support not yet claimed or its remainder shares, relayer fees),
    /// and exactly everything in minus everything out.
    /// hardhat-config: invariant.runs = 128
    /// hardhat-config: invariant.depth = 60
    function invariant_solvency() public view {
        uint256 held = address(campaign).balance;
        uint256 owed = handler.owed();
        if (held < owed) revert SolvencyBroken(held, owed);
        uint256 expected = handler.totalIn() - handler.totalOut();
        if (held != expected) revert AccountingBroken(held, expected);
        if (campaign.status().claimedTotal != handler.claimedTotal()) revert AccountingBroken(0, 0);
    }

    /// @notice Exactly once, and nobody takes more than entitled: no call the specification forbids
    /// succeeded (second claim or reclaim, a stranger moving a donation, a pledge or donation after
    /// the deadline), every payment equalled the entitlement, and no entitled call was refused.
    /// hardhat-config: invariant.runs = 128
    /// hardhat-config: invariant.depth = 60
    function invariant_exactlyOnceAndEntitlements() public view {
        uint256 v = handler.violations();
        if (v != 0) revert SpecificationBroken(v, handler.lastViolation());
    }

    /// @notice Liveness (the oracle's no-show path included): from any state, once the last window has passed every entitled party can take
    /// its due and the escrow keeps at most rounding dust (2 wei per triggered donation beyond the first).
    /// Checked as "what if it ended now": the handler settles everything and reverts, undoing it.
    /// hardhat-config: invariant.runs = 64
    /// hardhat-config: invariant.depth = 60
    function invariant_livenessAfterLastWindow() public {
        uint256 timestamp = block.timestamp;
        try handler.settleAndRevert() {
            revert LivenessNotChecked("");
        } catch (bytes memory reason) {
            vm.warp(timestamp);
            if (bytes4(reason) != CampaignHandler.Settled.selector) revert LivenessNotChecked(reason);
        }
    }
}

/// @notice Fuzz tests: whole random histories driven from one seed, then settled after the last window.
contract CampaignFuzzTest is CheatBase {
    error SpecificationBroken(uint256 violations, uint256 lastCode);

    /// @notice Liveness and exactly-once on a random ladder (1..24 levels) and a random history.
    /// hardhat-config: fuzz.runs = 500
    function testFuzz_livenessAfterLastWindow(uint256 seed) public {
        CampaignHandler handler = new CampaignHandler(_ladder(seed));
        for (uint256 i = 0; i < 36; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            uint256 a = r % 16;
            uint256 x = r >> 8;
            uint256 y = uint256(keccak256(abi.encode(r)));
            uint256 z = uint256(keccak256(abi.encode(y)));
            if (a < 5) handler.pledge(x, y, z);
            else if (a < 7) handler.pledgeTwo(x, y, z);
            else if (a < 10) handler.donate(x, y, z % 4 == 0 ? z % 1000 : z);
            else if (a < 11) handler.withdrawDonation(x, y);
            else if (a < 12) handler.warp(x % 3 days);
            else if (a < 13) {
                // The oracle shows up in about two histories of three; otherwise the no-show path is settled.
                if (seed % 3 != 0 && y % 2 == 0) handler.publish(z);
                else handler.resolve(y);
            } else if (a < 14) handler.claim(x, y);
            else if (a < 15) handler.reclaim(x, y);
            else handler.withdrawFees();
        }
        handler.settle();
        if (handler.violations() != 0) revert SpecificationBroken(handler.violations(), handler.lastViolation());
        // Every entitlement was taken exactly once: asking again pays nothing.
        uint256 n = handler.donationCount();
        for (uint256 id = 0; id < n; ++id) handler.reclaim(id, 1);
        for (uint256 k = 0; k < 16; ++k) handler.claim(k, 0);
        handler.withdrawFees();
        if (handler.violations() != 0) revert SpecificationBroken(handler.violations(), handler.lastViolation());
    }

    /// @notice Nobody but the donor can move a donation before resolution, nor reclaim it after.
    /// hardhat-config: fuzz.runs = 500
    function testFuzz_onlyTheDonorMovesADonation(address caller, uint88 amount, uint8 levelSeed) public {
        vm.assume(amount != 0 && caller != address(0xD0000) && caller.code.length == 0);
        uint32[] memory ladder = new uint32[](3);
        (ladder[0], ladder[1], ladder[2]) = (1, 2, 3);
        CampaignHandler handler = new CampaignHandler(ladder);
        ICampaign campaign = handler.campaign();
        address donor = address(0xD0000);
        vm.deal(donor, amount);
        vm.prank(donor);
        uint256 id = campaign.donate{value: amount}(1 + (levelSeed % 3), amount);

        vm.expectRevert(abi.encodeWithSelector(ICampaign.NotDonor.selector, id, caller));
        vm.prank(caller);
        campaign.withdrawDonation(id);

        vm.warp(handler.deadline() + 1);
        campaign.resolve();
        vm.expectRevert(abi.encodeWithSelector(ICampaign.NotDonor.selector, id, caller));
        vm.prank(caller);
        campaign.reclaimDonation(id);

        // The donor takes it back in full (no pledge: the campaign failed), once.
        vm.prank(donor);
        if (campaign.reclaimDonation(id) != amount || donor.balance != amount) revert SpecificationBroken(1, 0);
        vm.expectRevert(abi.encodeWithSelector(ICampaign.UnknownDonation.selector, id));
        vm.prank(donor);
        campaign.reclaimDonation(id);
    }

    /// @dev A strictly increasing ladder of 1..24 levels from small steps, reachable by 16 keys at its foot.
    function _ladder(uint256 seed) internal pure returns (uint32[] memory ladder) {
        uint256 m = 1 + (seed % 24);
        ladder = new uint32[](m);
        uint256 level = 1 + ((seed >> 8) % 3);
        for (uint256 i = 0; i < m; ++i) {
            ladder[i] = uint32(level);
            level += 1 + ((seed >> (16 + i * 2)) % 3 == 0 ? 1 : 0);
        }
    }
}

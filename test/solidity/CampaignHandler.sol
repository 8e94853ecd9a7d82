// SPDX-License-Identifier: AGPL-3.0-or-later
pragma solidity ^0.8.28;

import {CampaignFactory} from "../../contracts/CampaignFactory.sol";
import {ICampaign} from "../../contracts/interfaces/ICampaign.sol";
import {CheatBase} from "./Vm.sol";

/// @notice Drives one ETH campaign gated by a participation oracle (this handler) with a final lock, with
/// random actions (pledges, changes, withdrawals, donations, time, resolution, the oracle publishing a
/// random participation set or never showing up, claims, reclaims, fee withdrawals, and attempts by
/// strangers) and keeps a ghost
/// copy of what MECHANISM.md says each party is owed. Every call that succeeds when the
/// specification forbids it, pays another amount than the entitlement, or fails when the
/// specification entitles it, is counted as a violation.
contract CampaignHandler is CheatBase {
    /// @dev One signed pledge, packed by _submit as ICampaign's "Packed pledges" (condition 0, no voucher).
    struct Item {
        uint8 level;
        uint128 support;
        uint32 nonce;
        bytes32 r;
        bytes32 vs;
    }

    struct GhostDonation {
        address donor;
        uint8 level;
        uint256 amount;
        bool live;
        bool surplusTaken;
    }

    /// @notice Raised by `settleAndRevert` to hand back its result without keeping any state.
    error Settled(uint256 escrowLeft, uint256 dust);
    /// @notice Raised by `settle` when an entitled party cannot take its due or the escrow keeps more than dust.
    error LivenessBroken(uint256 code, uint256 escrowLeft, uint256 dust);

    bytes32 internal constant _PLEDGE_TYPEHASH = keccak256(
        "Pledge(uint8 level,uint128 support,uint8 condition,uint32 nonce)"
    );
    bytes32 internal constant _CLAIM_TYPEHASH = keccak256("Claim(address payee,address feeRecipient,uint256 maxFee)");
    uint256 internal constant _KEYS = 16;
    uint256 internal constant _DONORS = 4;
    uint128 internal constant _CAP = 1e18;
    uint256 internal constant _MAX_DONATION = 1e21;

    ICampaign public immutable campaign;
    uint64 public immutable deadline;
    uint64 public immutable lockStart;
    uint64 public immutable oracleEnd;
    uint64 internal immutable _baseClaimEnd;
    uint64 internal constant _CLAIM_WINDOW = 30 days;
    address public immutable stranger = address(0x5757000);
    address public immutable feeRecipient = address(0xFEE0000);
    uint32[] internal _ladder;

    // Ghost state: what the specification says.
    uint256[_KEYS] internal _pk;
    uint8[_KEYS] public levelOf;
    uint128[_KEYS] public supportOf;
    uint32[_KEYS] public nonceOf;
    bool[_KEYS] public claimedBy;
    GhostDonation[] internal _donations;
    bool public resolved;
    uint256 public resolvedAt;
    bool public published;
    bool[_KEYS] public participated;
    uint256 public tipping;
    uint256 public triggered;
    uint256 public requested;
    uint256 public paid;
    uint256 public triggeredCount;
    uint256 public claimedTotal;
    uint256 public fees;
    uint256 public totalIn;
    uint256 public totalOut;

    /// @notice Calls that did what the specification forbids (or refused what it grants); 0 is the invariant.
    uint256 public violations;
    uint256 public lastViolation;
    mapping(bytes32 action => uint256) public calls;

    constructor(uint32[] memory ladder) {
        _ladder = ladder;
        CampaignFactory factory = new CampaignFactory();
        deadline = uint64(block.timestamp + 10 days);
        lockStart = deadline - 1 days;
        oracleEnd = deadline + 1 days + 2 days;
        _baseClaimEnd = oracleEnd + _CLAIM_WINDOW;
        ICampaign.CampaignParams memory p = ICampaign.CampaignParams({
            token: address(0),
            pledgeDeadline: deadline,
            finalLock: 1 days,
            actionDate: deadline + 1 days,
            oracleWindow: 2 days,
            claimWindow: _CLAIM_WINDOW,
            supportCap: _CAP,
            conditions: new uint16[](0),
            attester: address(0),
            oracle: address(this),
            metadataHash: keccak256("Greve du 1er mai / May Day strike"),
            ladder: ladder
        });
        campaign = ICampaign(factory.createCampaign(p, "ipfs://fuzz", bytes32(0)));
        for (uint256 k = 0; k < _KEYS; ++k) _pk[k] = uint256(keccak256(abi.encode("pledge key", k)));
    }

    // ------------------------------------------------------------------ actions

    function pledge(uint256 keySeed, uint256 levelSeed, uint256 supportSeed) external {
        Item[] memory batch = new Item[](1);
        uint256 k = keySeed % _KEYS;
        (batch[0], ) = _nextPledge(k, levelSeed, supportSeed, nonceOf[k]);
        _submit(batch, _keys1(k));
    }

    /// @notice Two pledges in one batch (possibly the same key twice: a change within the batch).
    function pledgeTwo(uint256 keySeed, uint256 levelSeed, uint256 supportSeed) external {
        Item[] memory batch = new Item[](2);
        uint256[] memory ks = new uint256[](2);
        ks[0] = keySeed % _KEYS;
        ks[1] = (keySeed >> 128) % _KEYS;
        (batch[0], ) = _nextPledge(ks[0], levelSeed, supportSeed, nonceOf[ks[0]]);
        // The second pledge must see the first one's effect when both name the same key.
        uint8 firstLevel = batch[0].level;
        uint8 savedLevel = levelOf[ks[0]];
        levelOf[ks[0]] = firstLevel;
        (batch[1], ) = _nextPledge(
            ks[1],
            levelSeed >> 128,
            supportSeed >> 128,
            nonceOf[ks[1]] + (ks[0] == ks[1] ? 1 : 0)
        );
        levelOf[ks[0]] = savedLevel;
        _submit(batch, ks);
    }

    function donate(uint256 donorSeed, uint256 levelSeed, uint256 amountSeed) external {
        address donor = _donor(donorSeed);
        uint8 level = uint8(1 + (levelSeed % _ladder.length));
        uint256 amount = _bound(amountSeed, 1, _MAX_DONATION);
        bool open = block.timestamp <= deadline;
        vm.deal(donor, donor.balance + amount);
        vm.prank(donor);
        try campaign.donate{value: amount}(level, amount) returns (uint256 id) {
            calls["donate"]++;
            if (!open || id != _donations.length) _violation(10);
            _donations.push(GhostDonation(donor, level, amount, true, false));
            totalIn += amount;
        } catch {
            if (open) _violation(11);
        }
    }

    function withdrawDonation(uint256 idSeed, uint256 callerSeed) external {
        if (_donations.length == 0) return;
        uint256 id = idSeed % _donations.length;
        GhostDonation storage d = _donations[id];
        address caller = callerSeed % 4 == 0 ? stranger : d.donor;
        bool allowed = caller == d.donor && d.live && block.timestamp <= lockStart;
        uint256 before = caller.balance;
        vm.prank(caller);
        try campaign.withdrawDonation(id) {
            calls["withdrawDonation"]++;
            if (!allowed || caller.balance - before != d.amount) _violation(20);
            d.live = false;
            totalOut += d.amount;
            vm.prank(caller);
            try campaign.withdrawDonation(id) {
                _violation(22);
            } catch {}
        } catch {
            if (allowed) _violation(21);
        }
    }

    /// @notice Moves time forward; often onto a boundary (the lock's start, the deadline, the oracle's or the
    /// claim window's last second).
    function warp(uint256 seconds_) external {
        uint256 t = block.timestamp;
        if (seconds_ % 8 == 0 && t < deadline) vm.warp(deadline);
        else if (seconds_ % 8 == 1 && t < claimEnd()) vm.warp(claimEnd());
        else if (seconds_ % 8 == 2 && t < lockStart) vm.warp(lockStart);
        else if (seconds_ % 8 == 3 && t < oracleEnd) vm.warp(oracleEnd);
        else vm.warp(t + _bound(seconds_ >> 3, 1, 16 days));
    }

    /// @notice The oracle publishes a random participation set (one time in four it never shows up:
    /// the caller simply never picks this action, or calls it outside the window, which must fail).
    function publish(uint256 seed) external {
        bool allowed = !published && block.timestamp >= deadline + 1 days && block.timestamp <= oracleEnd;
        bool[_KEYS] memory set;
        uint256 n;
        for (uint256 k = 0; k < _KEYS; ++k) {
            set[k] = (seed >> k) & 1 == 1 || (k == 0 && seed & 0xffff == 0);
            if (set[k]) n++;
        }
        try campaign.publishParticipation(_root(set)) {
            calls["publish"]++;
            if (!allowed) _violation(70);
            published = true;
            participated = set;
        } catch {
            if (allowed) _violation(71);
        }
    }

    /// @notice When the claim window closes: never before claimWindow after resolution.
    function claimEnd() public view returns (uint256) {
        uint256 late = resolvedAt + _CLAIM_WINDOW;
        return resolved && late > _baseClaimEnd ? late : _baseClaimEnd;
    }

    /// @notice Whether beneficiaries can no longer claim: the claim window closed, or the oracle did not show.
    function claimsClosed() public view returns (bool) {
        return block.timestamp > claimEnd() || (!published && block.timestamp > oracleEnd);
    }

    /// @notice Resolves, usually after moving past the deadline first (a resolve before it must fail).
    function resolve(uint256 seed) external {
        if (seed % 4 != 0 && block.timestamp <= deadline) vm.warp(deadline + 1 + ((seed >> 2) % 2 days));
        bool allowed = block.timestamp > deadline && !resolved;
        try campaign.resolve() {
            calls["resolve"]++;
            if (!allowed) _violation(30);
            _resolveGhost();
            ICampaign.Status memory s = campaign.status();
            if (
                s.phase != 2 ||
                s.tippingLevel != tipping ||
                s.triggeredDonations != triggered ||
                s.requestedSupport != requested
            ) _violation(31);
        } catch {
            if (allowed) _violation(32);
        }
    }

    /// @notice A claim, three times in four by a key that has something to claim (if any does).
    function claim(uint256 keySeed, uint256 feeSeed) external {
        uint256 k = keySeed % _KEYS;
        if ((keySeed >> 128) % 4 != 0) {
            for (uint256 i = 0; i < _KEYS; ++i) {
                if (_claimable((k + i) % _KEYS) != 0) {
                    k = (k + i) % _KEYS;
                    break;
                }
            }
        }
        _claim(k, feeSeed);
    }

    /// @notice A reclaim, sometimes by a stranger, three times in four of a donation that has something due.
    function reclaim(uint256 idSeed, uint256 callerSeed) external {
        uint256 n = _donations.length;
        if (n == 0) return;
        uint256 id = idSeed % n;
        if ((idSeed >> 128) % 4 != 0) {
            for (uint256 i = 0; i < n; ++i) {
                if (_reclaimable((id + i) % n) != 0) {
                    id = (id + i) % n;
                    break;
                }
            }
        }
        _reclaim(id, callerSeed % 4 == 0 ? stranger : _donations[id].donor);
    }

    function withdrawFees() external {
        uint256 owedFees = fees;
        uint256 before = feeRecipient.balance;
        vm.prank(feeRecipient);
        try campaign.withdrawFees() returns (uint256 amount) {
            calls["withdrawFees"]++;
            if (amount != owedFees || feeRecipient.balance - before != owedFees) _violation(60);
            fees = 0;
            totalOut += amount;
            vm.prank(feeRecipient);
            try campaign.withdrawFees() {
                _violation(62);
            } catch {}
        } catch {
            if (owedFees != 0) _violation(61);
        }
    }

    // ---------------------------------------------------------------- liveness

    /// @notice Lets every party take its due after the last window, then checks the escrow holds only dust.
    /// Reverts with LivenessBroken if any entitled party is refused or the escrow keeps more than dust.
    function settle() public returns (uint256 escrowLeft, uint256 dust) {
        if (!resolved) {
            if (block.timestamp <= deadline) vm.warp(deadline + 1);
            campaign.resolve();
            _resolveGhost();
        }
        // Claims of those who still can (inside the window), so the remainder is what they left.
        if (block.timestamp <= claimEnd()) {
            // In the window's last second, half the beneficiaries still claim.
            vm.warp(claimEnd());
            for (uint256 k = 0; k < _KEYS; ++k) if (_claimable(k) != 0 && k % 2 == 0) _claim(k, k * 37);
            vm.warp(claimEnd() + 1);
        }
        for (uint256 id = 0; id < _donations.length; ++id) {
            if (_donations[id].live && _reclaimable(id) != 0) _reclaim(id, _donations[id].donor);
            if (violations != 0) revert LivenessBroken(lastViolation, address(campaign).balance, 0);
        }
        if (fees != 0) this.withdrawFees();
        escrowLeft = address(campaign).balance;
        dust = triggeredCount == 0 ? 0 : 2 * (triggeredCount - 1);
        if (violations != 0 || escrowLeft > dust || escrowLeft != totalIn - totalOut) {
            revert LivenessBroken(violations != 0 ? lastViolation : 99, escrowLeft, dust);
        }
        // After this, nothing is owed to anyone: every live donation has nothing left to take.
        for (uint256 id = 0; id < _donations.length; ++id) {
            (ICampaign.Entitlement state, uint256 amount) = campaign.reclaimable(id);
            if (state == ICampaign.Entitlement.Due || amount != 0) revert LivenessBroken(98, escrowLeft, dust);
        }
    }

    /// @notice `settle`, then undo everything (but time, which the caller restores) by reverting with the result.
    function settleAndRevert() external {
        (uint256 escrowLeft, uint256 dust) = settle();
        revert Settled(escrowLeft, dust);
    }

    // -------------------------------------------------------------------- views

    /// @notice Everything the escrow still owes, by the specification.
    function owed() external view returns (uint256 sum) {
        bool closed = claimsClosed();
        for (uint256 id = 0; id < _donations.length; ++id) {
            GhostDonation storage d = _donations[id];
            if (!d.live) continue;
            if (!resolved || d.level > tipping) {
                sum += d.amount;
                continue;
            }
            if (!d.surplusTaken) sum += _share(d.amount, triggered - paid, triggered);
            if (closed) sum += _share(d.amount, paid - claimedTotal, triggered);
        }
        if (resolved && !closed) sum += paid - claimedTotal;
        sum += fees;
    }

    function donationCount() external view returns (uint256) {
        return _donations.length;
    }

    // ----------------------------------------------------------------- internal

    function _nextPledge(
        uint256 k,
        uint256 levelSeed,
        uint256 supportSeed,
        uint32 nonce
    ) internal view returns (Item memory p, uint8 level) {
        // Half the pledges go to the four lowest levels, where the tipping level is within reach.
        level = uint8(
            levelSeed % 2 == 0
                ? 1 + ((levelSeed >> 1) % _min(4, _ladder.length))
                : (levelSeed >> 1) % (_ladder.length + 1)
        );
        if (level == 0 && levelOf[k] == 0) level = uint8(1 + ((levelSeed >> 8) % _ladder.length));
        uint128 support = uint128(supportSeed % 4 == 0 ? 0 : _bound(supportSeed >> 2, 0, _CAP));
        bytes32 digest = _digest(keccak256(abi.encode(_PLEDGE_TYPEHASH, level, support, uint8(0), nonce)));
        (bytes32 r, bytes32 vs) = _sign(_pk[k], digest);
        p = Item(level, support, nonce, r, vs);
    }

    function _submit(Item[] memory batch, uint256[] memory ks) internal {
        bool open = block.timestamp <= deadline;
        bytes memory packed;
        for (uint256 i = 0; i < batch.length; ++i) {
            Item memory it = batch[i];
            packed = bytes.concat(
                packed,
                abi.encodePacked(it.level, uint8(0), it.nonce, it.support, it.r, it.vs, uint16(0))
            );
        }
        try campaign.pledgeBatch(packed) {
            calls["pledgeBatch"]++;
            if (!open) _violation(1);
            // Items the specification refuses are skipped, the others land: a wrong nonce (the first item
            // of the same key was skipped), or taking back a promise during the final lock.
            bool locked = block.timestamp > lockStart;
            for (uint256 i = 0; i < batch.length; ++i) {
                uint256 k = ks[i];
                Item memory item = batch[i];
                uint8 previous = levelOf[k];
                uint128 support = item.level == 0 ? 0 : item.support;
                if (item.nonce != nonceOf[k]) continue;
                if (locked && previous != 0 && (item.level == 0 || item.level > previous || support > supportOf[k])) {
                    continue;
                }
                levelOf[k] = item.level;
                supportOf[k] = support;
                nonceOf[k]++;
            }
            for (uint256 i = 0; i < batch.length; ++i) {
                ICampaign.PledgeRecord memory rec = campaign.pledgeOf(vm.addr(_pk[ks[i]]));
                if (rec.level != levelOf[ks[i]] || rec.support != supportOf[ks[i]] || rec.nonce != nonceOf[ks[i]]) {
                    _violation(3);
                }
            }
        } catch {
            if (open) _violation(4);
        }
    }

    function _claim(uint256 k, uint256 feeSeed) internal {
        uint256 share = _claimable(k);
        bool entitled = share != 0;
        uint256 fee = (share * (feeSeed % 257)) / 256;
        address payee = address(uint160(uint256(keccak256(abi.encode("payee", k)))));
        bytes32 digest = _digest(keccak256(abi.encode(_CLAIM_TYPEHASH, payee, feeRecipient, fee)));
        (bytes32 r, bytes32 vs) = _sign(_pk[k], digest);
        ICampaign.SignedClaim memory c = ICampaign.SignedClaim(payee, feeRecipient, fee, fee, _proof(k), r, vs);
        uint256 before = payee.balance;
        try campaign.claim(c) returns (uint256 amount) {
            calls["claim"]++;
            if (!entitled || amount != share || payee.balance - before != share - fee) _violation(40);
            claimedBy[k] = true;
            claimedTotal += share;
            fees += fee;
            totalOut += share - fee;
            // Exactly once: the same signed claim, replayed at once, must pay nothing.
            try campaign.claim(c) {
                _violation(42);
            } catch {}
        } catch {
            if (entitled) _violation(41);
        }
    }

    function _reclaim(uint256 id, address caller) internal {
        GhostDonation storage d = _donations[id];
        uint256 due = caller == d.donor ? _reclaimable(id) : 0;
        uint256 before = caller.balance;
        vm.prank(caller);
        try campaign.reclaimDonation(id) returns (uint256 amount) {
            calls["reclaim"]++;
            if (due == 0 || amount != due || caller.balance - before != due) _violation(50);
            totalOut += amount;
            if (d.level > tipping || claimsClosed()) d.live = false;
            else d.surplusTaken = true;
            // Exactly once: asking again at once pays nothing (nothing more is due until the window closes).
            vm.prank(caller);
            try campaign.reclaimDonation(id) {
                _violation(52);
            } catch {}
        } catch {
            if (due != 0) _violation(51);
        }
    }

    /// @dev What the key may claim now, by the specification (0 when nothing or not allowed).
    function _claimable(uint256 k) internal view returns (uint256) {
        uint8 level = levelOf[k];
        if (!resolved || tipping == 0 || level == 0 || level > tipping || claimedBy[k]) return 0;
        // No support without proof: only keys in the published set, inside the claim window.
        if (block.timestamp > claimEnd() || !published || !participated[k]) return 0;
        return _share(supportOf[k], paid, requested);
    }

    /// @dev What the donation's donor may take back now, by the specification.
    function _reclaimable(uint256 id) internal view returns (uint256 due) {
        GhostDonation storage d = _donations[id];
        if (!resolved || !d.live) return 0;
        if (d.level > tipping) return d.amount;
        if (!d.surplusTaken) due = _share(d.amount, triggered - paid, triggered);
        if (claimsClosed()) due += _share(d.amount, paid - claimedTotal, triggered);
    }

    /// @dev MECHANISM.md, Resolution 1-4, on the ghost state.
    function _resolveGhost() internal {
        resolved = true;
        resolvedAt = block.timestamp;
        uint256 m = _ladder.length;
        uint256[] memory count = new uint256[](m + 1);
        for (uint256 k = 0; k < _KEYS; ++k) count[levelOf[k]]++;
        uint256 cumulative;
        for (uint256 j = 1; j <= m; ++j) {
            cumulative += count[j];
            if (cumulative >= _ladder[j - 1]) tipping = j;
        }
        if (tipping == 0) return;
        for (uint256 k = 0; k < _KEYS; ++k) {
            if (levelOf[k] != 0 && levelOf[k] <= tipping) requested += supportOf[k];
        }
        for (uint256 id = 0; id < _donations.length; ++id) {
            GhostDonation storage d = _donations[id];
            if (d.live && d.level <= tipping) {
                triggered += d.amount;
                triggeredCount++;
            }
        }
        paid = triggered < requested ? triggered : requested;
    }

    /// @dev The participation set's Merkle root (OpenZeppelin leaves, sorted pairs; an odd node moves up).
    function _root(bool[_KEYS] memory set) internal view returns (bytes32) {
        bytes32[] memory layer = _leaves(set);
        uint256 n = layer.length;
        if (n == 0) return bytes32(0);
        while (n > 1) {
            for (uint256 i = 0; i < n; i += 2) layer[i / 2] = i + 1 < n ? _hashPair(layer[i], layer[i + 1]) : layer[i];
            n = (n + 1) / 2;
        }
        return layer[0];
    }

    /// @dev The proof of key k in the published set (empty for a key outside it: the claim must then fail).
    function _proof(uint256 k) internal view returns (bytes32[] memory proof) {
        bool[_KEYS] memory set = participated;
        if (!published || !set[k]) return new bytes32[](0);
        bytes32[] memory layer = _leaves(set);
        uint256 idx;
        for (uint256 i = 0; i < k; ++i) if (set[i]) idx++;
        uint256 n = layer.length;
        bytes32[] memory path = new bytes32[](8);
        uint256 depth;
        while (n > 1) {
            if ((idx ^ 1) < n) path[depth++] = layer[idx ^ 1];
            for (uint256 i = 0; i < n; i += 2) layer[i / 2] = i + 1 < n ? _hashPair(layer[i], layer[i + 1]) : layer[i];
            n = (n + 1) / 2;
            idx >>= 1;
        }
        proof = new bytes32[](depth);
        for (uint256 i = 0; i < depth; ++i) proof[i] = path[i];
    }

    function _leaves(bool[_KEYS] memory set) internal view returns (bytes32[] memory leaves) {
        uint256 n;
        for (uint256 k = 0; k < _KEYS; ++k) if (set[k]) n++;
        leaves = new bytes32[](n);
        n = 0;
        for (uint256 k = 0; k < _KEYS; ++k) {
            if (set[k]) leaves[n++] = keccak256(bytes.concat(keccak256(abi.encode(vm.addr(_pk[k])))));
        }
    }

    function _hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }

    function _share(uint256 amount, uint256 numerator, uint256 denominator) internal pure returns (uint256) {
        return denominator == 0 ? 0 : (amount * numerator) / denominator;
    }

    function _digest(bytes32 structHash) internal view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", campaign.domainSeparator(), structHash));
    }

    function _sign(uint256 pk, bytes32 digest) internal pure returns (bytes32 r, bytes32 vs) {
        (uint8 v, bytes32 r_, bytes32 s) = vm.sign(pk, digest);
        r = r_;
        vs = bytes32(uint256(s) | (v == 28 ? 1 << 255 : 0));
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }

    function _donor(uint256 seed) internal pure returns (address) {
        return address(uint160(0xD0000 + (seed % _DONORS)));
    }

    function _keys1(uint256 k) internal pure returns (uint256[] memory ks) {
        ks = new uint256[](1);
        ks[0] = k;
    }

    function _violation(uint256 code) internal {
        violations++;
        lastViolation = code;
    }
}

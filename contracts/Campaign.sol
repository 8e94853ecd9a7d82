// SPDX-License-Identifier: AGPL-3.0-or-later
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ICampaign} from "./interfaces/ICampaign.sol";
import {BasculeMath} from "./libraries/BasculeMath.sol";

/// @title Bascule campaign (implementation behind every campaign clone)
/// @notice See ICampaign and docs/MECHANISM.md.
/// @dev Storage layout is chosen for the gas budgets: per-level pledge counts are packed eight to a
/// word, so resolution reads at most 8 count words; per-level amounts are also summed per block of
/// eight levels, so resolution reads at most 7 block sums and 4 level sums to get F and R. Gas is
/// therefore bounded by the ladder and independent of the number of pledges and donations.
contract Campaign is ICampaign, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @dev Resolution state, one word: written once at initialisation so resolve() updates a warm-able non-zero slot.
    struct State {
        uint8 phase;
        uint8 tippingLevel;
        uint48 committed;
        uint96 triggeredDonations;
        uint96 requestedSupport;
    }

    /// @dev Written at initialisation (`initialised`), so donations check it in the slot they update anyway.
    struct Counters {
        uint64 donationCount;
        uint120 claimedTotal;
        uint64 resolvedAt;
        bool initialised;
    }

    struct Amounts {
        uint128 requested;
        uint128 donated;
    }

    /// @dev donor, level in the low 7 bits of `levelAndFlags` (bit 7: surplus taken), amount.
    struct Donation {
        address donor;
        uint8 levelAndFlags;
        uint88 amount;
    }

    /// @dev Parameters decoded from the clone's immutable arguments.
    struct Config {
        address organiser;
        address token;
        address attester;
        address oracle;
        uint64 deadline;
        /// @dev deadline - finalLock: the final lock holds while lockStart < block.timestamp <= deadline.
        uint64 lockStart;
        uint64 actionDate;
        uint64 oracleWindow;
        uint64 claimWindow;
        uint128 cap;
        bytes32 metadataHash;
        uint256 levels;
    }

    /// @dev Pending tally changes of one call, written once at the end (cheap batches). `baseRequested`
    /// holds a level's stored requested amount once read (bit 255 set), so each item is checked against
    /// the level's limit before it is applied and a batch never fails at the end.
    struct Delta {
        int256[] count;
        int256[] requested;
        uint256[] baseRequested;
        uint256 touched;
    }

    uint8 internal constant _OPEN = 1;
    uint8 internal constant _RESOLVED = 2;
    uint8 internal constant _SURPLUS_TAKEN = 0x80;
    uint8 internal constant _LEVEL_MASK = 0x7f;
    /// @dev Per-level cap on requested and donated amounts: 64 levels of it still fit the 96-bit F and R.
    uint256 internal constant _LEVEL_AMOUNT_MAX = (1 << 90) - 1;
    uint256 internal constant _COUNT_MAX = type(uint32).max;
    uint256 internal constant _ARGS_LADDER_OFFSET = 168;
    uint256 internal constant _LOADED = 1 << 255;
    /// @dev _applyPledge's result: 0 applied, otherwise 1 + the SkipReason.
    uint256 internal constant _APPLIED = 0;
    /// @dev ERC-1167 runtime code length; the immutable arguments follow it.
    uint256 internal constant _CLONE_CODE_SIZE = 0x2d;

    /// @notice EIP-712 type hash of a signed pledge.
    bytes32 public constant PLEDGE_TYPEHASH = keccak256("Pledge(uint8 level,uint128 support,uint32 nonce)");
    /// @notice EIP-712 type hash of an attester's voucher on a pledge key.
    bytes32 public constant VOUCHER_TYPEHASH = keccak256("Voucher(address pledgeKey)");
    /// @notice EIP-712 type hash of a signed claim.
    bytes32 public constant CLAIM_TYPEHASH = keccak256("Claim(address payee,address feeRecipient,uint256 maxFee)");

    /// @notice The factory that deployed this implementation: the only caller `initialize` answers.
    address public immutable FACTORY;
    address private immutable _SELF;

    State internal _state;
    Counters internal _counters;
    bytes32 internal _participationRoot;
    uint256[8] internal _countWords;
    mapping(uint256 level => Amounts) internal _levelAmounts;
    mapping(uint256 blockIndex => Amounts) internal _blockAmounts;
    mapping(address pledgeKey => PledgeRecord) internal _pledges;
    mapping(uint256 donationId => Donation) internal _donations;
    mapping(address recipient => uint256) internal _fees;

    constructor() EIP712("Bascule", "1") {
        FACTORY = msg.sender;
        _SELF = address(this);
    }

    /// @inheritdoc ICampaign
    function initialize() external {
        if (msg.sender != FACTORY) revert NotFactory(msg.sender);
        // Once only, and never on the implementation itself (whose FACTORY is the same factory).
        if (_state.phase != 0 || address(this) == _SELF) revert InvalidInitialization();
        _state.phase = _OPEN;
        _counters.initialised = true;
    }

    // ------------------------------------------------------------------ pledges

    /// @inheritdoc ICampaign
    function pledge(SignedPledge calldata signed) external {
        Config memory c = _config();
        _requireOpen(c);
        Delta memory d = _newDelta(c.levels);
        (uint256 result, address key) = _applyPledge(c, _domainSeparatorV4(), signed, d);
        if (result != _APPLIED) _revertFor(SkipReason(result - 1), c, signed, key);
        _flush(d);
    }

    /// @inheritdoc ICampaign
    function pledgeBatch(SignedPledge[] calldata batch) external {
        if (batch.length == 0) revert EmptyBatch();
        Config memory c = _config();
        _requireOpen(c);
        Delta memory d = _newDelta(c.levels);
        bytes32 separator = _domainSeparatorV4();
        for (uint256 i = 0; i < batch.length; ++i) {
            (uint256 result, address key) = _applyPledge(c, separator, batch[i], d);
            // One invalid item never blocks the others: it is skipped, with its reason, and the batch goes on.
            if (result != _APPLIED) emit PledgeSkipped(i, key, SkipReason(result - 1));
        }
        _flush(d);
    }

    // ---------------------------------------------------------------- donations

    /// @inheritdoc ICampaign
    function donate(uint256 level, uint256 amount) external payable nonReentrant returns (uint256) {
        Config memory c = _config();
        return _donate(c, level, amount);
    }

    /// @inheritdoc ICampaign
    function donateWithPermit(
        uint256 level,
        uint256 amount,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint256) {
        Config memory c = _config();
        if (c.token == address(0)) revert NotATokenCampaign();
        // A permit can be front-run (its signature is public once in the mempool); the allowance it
        // set is then already there, so a failure here must not block the donation.
        try IERC20Permit(c.token).permit(msg.sender, address(this), amount, permitDeadline, v, r, s) {} catch {}
        return _donate(c, level, amount);
    }

    /// @inheritdoc ICampaign
    function withdrawDonation(uint256 donationId) external nonReentrant {
        Config memory c = _config();
        _requireBeforeDeadline(c);
        if (block.timestamp > c.lockStart) revert FinalLockActive(c.lockStart);
        Donation memory d = _ownDonation(donationId);
        uint256 level = d.levelAndFlags & _LEVEL_MASK;
        delete _donations[donationId];
        _levelAmounts[level].donated -= d.amount;
        _blockAmounts[(level - 1) >> 3].donated -= d.amount;
        emit DonationWithdrawn(donationId, d.donor, d.amount);
        _send(c.token, d.donor, d.amount);
    }

    // --------------------------------------------------------------- resolution

    /// @inheritdoc ICampaign
    function resolve() external {
        Config memory c = _config();
        if (block.timestamp <= c.deadline) revert PledgeDeadlineNotPassed(c.deadline);
        if (_state.phase != _OPEN) revert AlreadyResolved();

        // 1. j* = max { j : C(j) >= L_j }, reading each packed count word once.
        uint256 levels = c.levels;
        uint256 tippingLevel;
        uint256 committed;
        {
            bytes memory ladder = _ladder(levels);
            uint256 cumulative;
            for (uint256 w = 0; w * 8 < levels; ++w) {
                uint256 word = _countWords[w];
                uint256 end = levels - w * 8 < 8 ? levels - w * 8 : 8;
                // solhint-disable-next-line no-inline-assembly
                assembly ("memory-safe") {
                    let thresholds := add(add(ladder, 32), mul(w, 32))
                    for {
                        let lane := 0
                    } lt(lane, end) {
                        lane := add(lane, 1)
                    } {
                        cumulative := add(cumulative, and(shr(mul(lane, 32), word), 0xffffffff))
                        if iszero(lt(cumulative, shr(224, mload(add(thresholds, mul(lane, 4)))))) {
                            tippingLevel := add(add(mul(w, 8), lane), 1)
                            committed := cumulative
                        }
                    }
                }
            }
        }

        // 2-4. F and R over the triggered levels 1..j*.
        uint256 triggered;
        uint256 requested;
        if (tippingLevel != 0) (triggered, requested) = _sumUpTo(tippingLevel, levels);

        _counters.resolvedAt = uint64(block.timestamp);
        _state = State({
            phase: _RESOLVED,
            tippingLevel: uint8(tippingLevel),
            committed: uint48(committed),
            triggeredDonations: uint96(triggered),
            requestedSupport: uint96(requested)
        });
        emit CampaignResolved(tippingLevel, committed, triggered, requested, BasculeMath.paidOut(triggered, requested));
    }

    /// @inheritdoc ICampaign
    function claim(SignedClaim calldata signed) external nonReentrant returns (uint256 amount) {
        Config memory c = _config();
        State memory st = _resolvedState();
        if (st.tippingLevel == 0) revert CampaignFailed();
        if (signed.payee == address(0)) revert ZeroPayee();
        address key = _recover(
            _hashTypedDataV4(keccak256(abi.encode(CLAIM_TYPEHASH, signed.payee, signed.feeRecipient, signed.maxFee))),
            signed.r,
            signed.vs
        );
        PledgeRecord memory p = _pledges[key];
        if (p.level == 0 || p.level > st.tippingLevel) revert PledgeNotTriggered(key);
        if (p.claimed) revert AlreadyClaimed(key);
        Counters memory n = _counters;
        (uint64 oracleEnd, uint64 claimEnd) = _windows(c, n.resolvedAt);
        if (block.timestamp > claimEnd) revert ClaimWindowClosed(claimEnd);
        if (c.oracle != address(0)) {
            bytes32 root = _participationRoot;
            if (root == bytes32(0)) {
                // No support is paid without proof: an absent oracle sends it back to the donors instead.
                if (block.timestamp <= oracleEnd) revert ParticipationPending(oracleEnd);
                revert ParticipationMissing();
            } else if (!MerkleProof.verifyCalldata(signed.proof, root, participationLeaf(key))) {
                revert NotAParticipant(key);
            }
        }
        amount = BasculeMath.supportShare(p.support, st.triggeredDonations, st.requestedSupport);
        if (amount == 0) revert NothingToClaim();
        uint256 fee = signed.fee;
        if (fee > signed.maxFee || fee > amount || (fee != 0 && signed.feeRecipient == address(0))) {
            revert FeeTooHigh(fee, signed.maxFee);
        }

        _pledges[key].claimed = true;
        n.claimedTotal += uint120(amount);
        _counters = n;
        if (fee != 0) _fees[signed.feeRecipient] += fee;
        emit SupportClaimed(key, signed.payee, amount, fee);
        _send(c.token, signed.payee, amount - fee);
    }

    /// @inheritdoc ICampaign
    function reclaimDonation(uint256 donationId) external nonReentrant returns (uint256 amount) {
        Config memory c = _config();
        State memory st = _resolvedState();
        Donation memory d = _ownDonation(donationId);
        uint256 level = d.levelAndFlags & _LEVEL_MASK;

        if (level > st.tippingLevel) {
            // Failed campaign (j* = 0) or a level above j*: the donation was never triggered.
            amount = d.amount;
            delete _donations[donationId];
            emit DonationRefunded(donationId, d.donor, amount);
        } else {
            bool closed = _claimsClosed(c);
            uint256 surplus =
                d.levelAndFlags & _SURPLUS_TAKEN != 0
                    ? 0
                    : BasculeMath.surplusShare(d.amount, st.triggeredDonations, st.requestedSupport);
            uint256 remainder =
                closed
                    ? BasculeMath.remainderShare(
                        d.amount,
                        st.triggeredDonations,
                        st.requestedSupport,
                        _counters.claimedTotal
                    )
                    : 0;
            amount = surplus + remainder;
            if (amount == 0) revert NothingToClaim();
            if (closed) delete _donations[donationId];
            else _donations[donationId].levelAndFlags = d.levelAndFlags | _SURPLUS_TAKEN;
            if (surplus != 0) emit SurplusReturned(donationId, d.donor, surplus);
            if (remainder != 0) emit RemainderReturned(donationId, d.donor, remainder);
        }
        _send(c.token, d.donor, amount);
    }

    /// @inheritdoc ICampaign
    function publishParticipation(bytes32 root) external {
        Config memory c = _config();
        if (c.oracle == address(0) || msg.sender != c.oracle) revert NotOracle(msg.sender);
        (uint64 oracleEnd, ) = _windows(c, 0);
        if (block.timestamp < c.actionDate || block.timestamp > oracleEnd) {
            revert OutsideParticipationWindow(c.actionDate, oracleEnd);
        }
        if (root == bytes32(0) || _participationRoot != bytes32(0)) revert InvalidParticipationRoot(root);
        _participationRoot = root;
        emit ParticipationPublished(root);
    }

    /// @inheritdoc ICampaign
    function withdrawFees() external nonReentrant returns (uint256 amount) {
        Config memory c = _config();
        amount = _fees[msg.sender];
        if (amount == 0) revert NothingToClaim();
        delete _fees[msg.sender];
        emit FeesWithdrawn(msg.sender, amount);
        _send(c.token, msg.sender, amount);
    }

    // -------------------------------------------------------------------- views

    /// @inheritdoc ICampaign
    function parameters() external view returns (CampaignParams memory params, address organiser) {
        Config memory c = _config();
        uint32[] memory ladder = new uint32[](c.levels);
        bytes memory packed = _ladder(c.levels);
        for (uint256 level = 1; level <= c.levels; ++level) {
            ladder[level - 1] = uint32(_threshold(packed, level));
        }
        params = CampaignParams({
            token: c.token,
            pledgeDeadline: c.deadline,
            finalLock: c.deadline - c.lockStart,
            actionDate: c.actionDate,
            oracleWindow: c.oracleWindow,
            claimWindow: c.claimWindow,
            supportCap: c.cap,
            attester: c.attester,
            oracle: c.oracle,
            metadataHash: c.metadataHash,
            ladder: ladder
        });
        organiser = c.organiser;
    }

    /// @inheritdoc ICampaign
    function status() external view returns (Status memory) {
        State memory st = _state;
        Counters memory n = _counters;
        return
            Status({
                phase: st.phase,
                tippingLevel: st.tippingLevel,
                committed: st.committed,
                triggeredDonations: st.triggeredDonations,
                requestedSupport: st.requestedSupport,
                claimedTotal: n.claimedTotal,
                donationCount: n.donationCount,
                participationRoot: _participationRoot,
                resolvedAt: n.resolvedAt
            });
    }

    /// @inheritdoc ICampaign
    function levelTallies()
        external
        view
        returns (uint32[] memory counts, uint128[] memory requested, uint128[] memory donated)
    {
        uint256 levels = _config().levels;
        counts = new uint32[](levels);
        requested = new uint128[](levels);
        donated = new uint128[](levels);
        for (uint256 level = 1; level <= levels; ++level) {
            counts[level - 1] = uint32(_countOf(level));
            Amounts memory a = _levelAmounts[level];
            requested[level - 1] = a.requested;
            donated[level - 1] = a.donated;
        }
    }

    /// @inheritdoc ICampaign
    function pledgeOf(address pledgeKey) external view returns (PledgeRecord memory) {
        return _pledges[pledgeKey];
    }

    /// @inheritdoc ICampaign
    function donationOf(
        uint256 donationId
    ) external view returns (address donor, uint8 level, bool surplusTaken, uint256 amount) {
        Donation memory d = _donations[donationId];
        return (d.donor, d.levelAndFlags & _LEVEL_MASK, d.levelAndFlags & _SURPLUS_TAKEN != 0, d.amount);
    }

    /// @inheritdoc ICampaign
    function claimableSupport(address pledgeKey) external view returns (Entitlement, uint256) {
        Config memory c = _config();
        State memory st = _state;
        PledgeRecord memory p = _pledges[pledgeKey];
        if (st.phase != _RESOLVED) {
            // Not resolved: support may become due only for a pledge that asks for some.
            return (p.level != 0 && p.support != 0 ? Entitlement.Pending : Entitlement.None, 0);
        }
        if (p.level == 0 || p.level > st.tippingLevel) return (Entitlement.None, 0);
        uint256 amount = BasculeMath.supportShare(p.support, st.triggeredDonations, st.requestedSupport);
        if (amount == 0) return (Entitlement.None, 0);
        if (p.claimed) return (Entitlement.Taken, amount);
        (uint64 oracleEnd, uint64 claimEnd) = _windows(c, _counters.resolvedAt);
        if (block.timestamp > claimEnd) return (Entitlement.Expired, amount);
        if (c.oracle == address(0)) return (Entitlement.Due, amount);
        if (_participationRoot != bytes32(0)) return (Entitlement.NeedsProof, amount);
        // No root yet: the oracle may still publish; after its window no support is paid without proof.
        return block.timestamp <= oracleEnd ? (Entitlement.Pending, amount) : (Entitlement.None, 0);
    }

    /// @inheritdoc ICampaign
    function reclaimable(uint256 donationId) external view returns (Entitlement, uint256) {
        Config memory c = _config();
        State memory st = _state;
        Counters memory n = _counters;
        Donation memory d = _donations[donationId];
        if (d.amount == 0) return (donationId < n.donationCount ? Entitlement.Taken : Entitlement.None, 0);
        if (st.phase != _RESOLVED) return (Entitlement.Pending, 0);
        uint256 level = d.levelAndFlags & _LEVEL_MASK;
        if (level > st.tippingLevel) return (Entitlement.Due, d.amount);
        uint256 amount =
            d.levelAndFlags & _SURPLUS_TAKEN != 0
                ? 0
                : BasculeMath.surplusShare(d.amount, st.triggeredDonations, st.requestedSupport);
        uint256 remainder = BasculeMath.remainderShare(
            d.amount,
            st.triggeredDonations,
            st.requestedSupport,
            n.claimedTotal
        );
        if (_claimsClosed(c)) {
            amount += remainder;
            return amount != 0 ? (Entitlement.Due, amount) : (Entitlement.Taken, 0);
        }
        if (amount != 0) return (Entitlement.Due, amount);
        // The remainder only shrinks as beneficiaries claim: if it is zero now, it stays zero.
        return remainder != 0 ? (Entitlement.Pending, remainder) : (Entitlement.Taken, 0);
    }

    /// @inheritdoc ICampaign
    function feesOf(address recipient) external view returns (uint256) {
        return _fees[recipient];
    }

    /// @inheritdoc ICampaign
    function windows() external view returns (uint64 oracleEnd, uint64 claimEnd) {
        return _windows(_config(), _counters.resolvedAt);
    }

    /// @inheritdoc ICampaign
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @notice The leaf of a pledge key in the participation tree (OpenZeppelin StandardMerkleTree, ["address"]).
    /// @param pledgeKey The key.
    function participationLeaf(address pledgeKey) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(pledgeKey))));
    }

    // ----------------------------------------------------------------- internal

    /// @dev Checks one signed pledge and, if valid, records it and its tally changes in `d`.
    /// @return result _APPLIED, or 1 + the SkipReason; nothing is written for a skipped item.
    /// @return key The recovered pledge key (address(0) if the signature does not recover).
    /// One function on purpose: split in two (checks, tally move), it cost ~600 gas more per pledge.
    // solhint-disable-next-line function-max-lines
    function _applyPledge(
        Config memory c,
        bytes32 separator,
        SignedPledge calldata s,
        Delta memory d
    ) internal returns (uint256 result, address key) {
        ECDSA.RecoverError err;
        (key, err, ) = ECDSA.tryRecover(
            MessageHashUtils.toTypedDataHash(separator, _pledgeStructHash(s.level, s.support, s.nonce)),
            s.r,
            s.vs
        );
        if (err != ECDSA.RecoverError.NoError) return (1 + uint256(SkipReason.InvalidSignature), address(0));
        PledgeRecord memory previous = _pledges[key];
        uint256 level = s.level;
        uint256 support = level == 0 ? 0 : s.support;
        if (s.nonce != previous.nonce) return (1 + uint256(SkipReason.InvalidNonce), key);
        if (level > c.levels) return (1 + uint256(SkipReason.LevelOutOfRange), key);
        if (s.support > c.cap) return (1 + uint256(SkipReason.SupportAboveCap), key);
        if (level == 0 && previous.level == 0) return (1 + uint256(SkipReason.NotPledged), key);
        // The final lock: nothing already promised may be taken back, lowered promises are welcome.
        if (
            block.timestamp > c.lockStart &&
            previous.level != 0 &&
            (level == 0 || level > previous.level || support > previous.support)
        ) return (1 + uint256(SkipReason.FinalLock), key);
        if (c.attester != address(0) && previous.nonce == 0) {
            bytes32 digest = MessageHashUtils.toTypedDataHash(separator, keccak256(abi.encode(VOUCHER_TYPEHASH, key)));
            if (!SignatureChecker.isValidSignatureNowCalldata(c.attester, digest, s.voucher)) {
                return (1 + uint256(SkipReason.InvalidVoucher), key);
            }
        }

        // Unchecked: a call holds at most a few thousand pledges, far from int256 bounds; a level's
        // requested total is checked against its limit below, before anything is recorded.
        unchecked {
            int256[] memory requested = d.requested;
            if (support != 0) {
                uint256 base = d.baseRequested[level];
                if (base == 0) {
                    base = _LOADED | _levelAmounts[level].requested;
                    d.baseRequested[level] = base;
                }
                int256 after_ = int256(base & ~_LOADED) + requested[level] + int256(support);
                if (previous.level == level) after_ -= int256(uint256(previous.support));
                if (after_ > int256(_LEVEL_AMOUNT_MAX)) return (1 + uint256(SkipReason.LevelLimitExceeded), key);
            }
            int256[] memory count = d.count;
            if (previous.level != 0) {
                count[previous.level] -= 1;
                requested[previous.level] -= int256(uint256(previous.support));
                d.touched |= 1 << previous.level;
            }
            if (level != 0) {
                count[level] += 1;
                requested[level] += int256(support);
                d.touched |= 1 << level;
            }
        }
        _pledges[key] = PledgeRecord({
            level: uint8(level),
            support: uint128(support),
            nonce: previous.nonce + 1,
            claimed: false
        });

        if (level == 0) emit PledgeWithdrawn(key);
        else if (previous.level == 0) emit Pledged(key, level, support);
        else emit PledgeChanged(key, level, support);
        return (_APPLIED, key);
    }

    /// @dev The error `pledge` raises for an item `pledgeBatch` would skip.
    function _revertFor(SkipReason reason, Config memory c, SignedPledge calldata s, address key) internal view {
        if (reason == SkipReason.InvalidSignature) revert InvalidSignature();
        if (reason == SkipReason.InvalidNonce) revert InvalidNonce(key, _pledges[key].nonce, s.nonce);
        if (reason == SkipReason.LevelOutOfRange) revert LevelOutOfRange(s.level, c.levels);
        if (reason == SkipReason.SupportAboveCap) revert SupportAboveCap(s.support, c.cap);
        if (reason == SkipReason.NotPledged) revert NotPledged(key);
        if (reason == SkipReason.FinalLock) revert FinalLockActive(c.lockStart);
        if (reason == SkipReason.InvalidVoucher) revert InvalidVoucher(key);
        revert LevelLimitExceeded(s.level);
    }

    function _pledgeStructHash(uint8 level, uint128 support, uint32 nonce) internal pure returns (bytes32 h) {
        bytes32 typehash = PLEDGE_TYPEHASH;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, typehash)
            mstore(add(m, 0x20), level)
            mstore(add(m, 0x40), support)
            mstore(add(m, 0x60), nonce)
            h := keccak256(m, 0x80)
        }
    }

    function _newDelta(uint256 levels) internal pure returns (Delta memory d) {
        d.count = new int256[](levels + 1);
        d.requested = new int256[](levels + 1);
        d.baseRequested = new uint256[](levels + 1);
    }

    /// @dev Writes a call's pending tally changes: each count word, level sum and block sum once.
    function _flush(Delta memory d) internal {
        uint256 touched = d.touched;
        uint256 wordIndex = type(uint256).max;
        uint256 word;
        uint256 blockIndex = type(uint256).max;
        int256 blockRequested;
        for (uint256 level = 1; (touched >> level) != 0; ++level) {
            if ((touched >> level) & 1 == 0) continue;
            uint256 wi = (level - 1) >> 3;
            if (wi != wordIndex) {
                if (wordIndex != type(uint256).max) _countWords[wordIndex] = word;
                wordIndex = wi;
                word = _countWords[wi];
            }
            uint256 shift = ((level - 1) & 7) * 32;
            int256 count = int256((word >> shift) & _COUNT_MAX) + d.count[level];
            if (count < 0 || count > int256(_COUNT_MAX)) revert LevelLimitExceeded(level);
            word = (word & ~(_COUNT_MAX << shift)) | (uint256(count) << shift);

            int256 requestedDelta = d.requested[level];
            if (requestedDelta != 0) {
                // Within [0, _LEVEL_AMOUNT_MAX]: every item was checked against the level's limit.
                Amounts storage a = _levelAmounts[level];
                a.requested = uint128(uint256(int256(uint256(a.requested)) + requestedDelta));
                if (wi != blockIndex) {
                    _addBlockRequested(blockIndex, blockRequested);
                    blockIndex = wi;
                    blockRequested = 0;
                }
                blockRequested += requestedDelta;
            }
        }
        if (wordIndex != type(uint256).max) _countWords[wordIndex] = word;
        _addBlockRequested(blockIndex, blockRequested);
    }

    function _addBlockRequested(uint256 blockIndex, int256 delta) internal {
        if (delta == 0) return;
        Amounts storage b = _blockAmounts[blockIndex];
        b.requested = uint128(uint256(int256(uint256(b.requested)) + delta));
    }

    function _donate(Config memory c, uint256 level, uint256 amount) internal returns (uint256 donationId) {
        _requireOpen(c);
        if (level == 0 || level > c.levels) revert LevelOutOfRange(level, c.levels);
        if (amount == 0 || amount > type(uint88).max) revert InvalidDonationAmount(amount);
        _pull(c.token, amount);

        Amounts storage a = _levelAmounts[level];
        uint256 donated = a.donated + amount;
        if (donated > _LEVEL_AMOUNT_MAX) revert LevelLimitExceeded(level);
        a.donated = uint128(donated);
        _blockAmounts[(level - 1) >> 3].donated += uint128(amount);
        donationId = _counters.donationCount++;
        _donations[donationId] = Donation({donor: msg.sender, levelAndFlags: uint8(level), amount: uint88(amount)});
        emit Donated(donationId, msg.sender, level, amount);
    }

    function _pull(address token, uint256 amount) internal {
        if (token == address(0)) {
            if (msg.value != amount) revert WrongValue(msg.value, amount);
            return;
        }
        if (msg.value != 0) revert WrongValue(msg.value, 0);
        IERC20 erc20 = IERC20(token);
        uint256 before = erc20.balanceOf(address(this));
        erc20.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = erc20.balanceOf(address(this)) - before;
        if (received != amount) revert TokenDeliveredLess(amount, received);
    }

    function _send(address token, address to, uint256 amount) internal {
        if (token == address(0)) Address.sendValue(payable(to), amount);
        else IERC20(token).safeTransfer(to, amount);
    }

    /// @dev F and R over levels 1..tippingLevel: whole blocks below, then the cheaper side of its own block.
    function _sumUpTo(
        uint256 tippingLevel,
        uint256 levels
    ) internal view returns (uint256 triggered, uint256 requested) {
        uint256 lastBlock = (tippingLevel - 1) >> 3;
        for (uint256 b = 0; b < lastBlock; ++b) {
            Amounts memory a = _blockAmounts[b];
            triggered += a.donated;
            requested += a.requested;
        }
        uint256 first = lastBlock * 8 + 1;
        uint256 last = first + 7 < levels ? first + 7 : levels;
        if (tippingLevel - first + 1 <= last - tippingLevel + 1) {
            for (uint256 level = first; level <= tippingLevel; ++level) {
                Amounts memory a = _levelAmounts[level];
                triggered += a.donated;
                requested += a.requested;
            }
        } else {
            Amounts memory whole = _blockAmounts[lastBlock];
            triggered += whole.donated;
            requested += whole.requested;
            for (uint256 level = tippingLevel + 1; level <= last; ++level) {
                Amounts memory a = _levelAmounts[level];
                triggered -= a.donated;
                requested -= a.requested;
            }
        }
    }

    function _countOf(uint256 level) internal view returns (uint256) {
        return (_countWords[(level - 1) >> 3] >> (((level - 1) & 7) * 32)) & _COUNT_MAX;
    }

    function _ownDonation(uint256 donationId) internal view returns (Donation memory d) {
        d = _donations[donationId];
        if (d.amount == 0) revert UnknownDonation(donationId);
        if (d.donor != msg.sender) revert NotDonor(donationId, msg.sender);
    }

    function _resolvedState() internal view returns (State memory st) {
        st = _state;
        if (st.phase != _RESOLVED) revert NotResolved();
    }

    function _requireBeforeDeadline(Config memory c) internal view {
        if (block.timestamp > c.deadline) revert PledgeDeadlinePassed(c.deadline);
    }

    /// @dev Pledges and donations: before the deadline, and only on a campaign its factory initialised.
    function _requireOpen(Config memory c) internal view {
        _requireBeforeDeadline(c);
        if (!_counters.initialised) revert CampaignNotOpen();
    }

    /// @dev claimEnd = max(actionDate + oracleWindow + claimWindow, resolvedAt + claimWindow); oracleWindow is 0
    /// without an oracle (the factory checks it), and resolvedAt 0 before resolution.
    function _windows(Config memory c, uint64 resolvedAt) internal pure returns (uint64 oracleEnd, uint64 claimEnd) {
        uint64 end = c.actionDate + c.oracleWindow;
        if (c.oracle != address(0)) oracleEnd = end;
        claimEnd = end + c.claimWindow;
        if (resolvedAt != 0 && resolvedAt + c.claimWindow > claimEnd) claimEnd = resolvedAt + c.claimWindow;
    }

    /// @dev Whether no more support can be claimed, so triggered donations take back what is left: the claim
    /// window closed, or the oracle's window closed without a published set (no support without proof).
    /// Called after resolution only; reads resolvedAt only once the base claim window has passed.
    function _claimsClosed(Config memory c) internal view returns (bool) {
        uint64 oracleEnd = c.actionDate + c.oracleWindow;
        // claimEnd = max(oracleEnd + claimWindow, resolvedAt + claimWindow): past the first, compare the second.
        if (block.timestamp > oracleEnd + c.claimWindow && block.timestamp > _counters.resolvedAt + c.claimWindow) {
            return true;
        }
        return c.oracle != address(0) && block.timestamp > oracleEnd && _participationRoot == bytes32(0);
    }

    function _recover(bytes32 digest, bytes32 r, bytes32 vs) internal pure returns (address signer) {
        ECDSA.RecoverError err;
        (signer, err, ) = ECDSA.tryRecover(digest, r, vs);
        if (err != ECDSA.RecoverError.NoError) revert InvalidSignature();
    }

    /// @dev Decodes the fixed-size head of the immutable arguments appended to this clone's bytecode
    /// (layout: CampaignFactory._encodeArgs); the ladder itself is read by _ladder() where needed.
    function _config() internal view returns (Config memory c) {
        // The implementation itself holds no campaign: only its clones do.
        if (address(this) == _SELF) revert NotFactory(address(this));
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            // Scratch copy above the free memory pointer; nothing is allocated and it is read at once.
            let p := mload(0x40)
            extcodecopy(address(), p, _CLONE_CODE_SIZE, _ARGS_LADDER_OFFSET)
            mstore(c, shr(96, mload(p)))
            mstore(add(c, 0x20), shr(96, mload(add(p, 20))))
            mstore(add(c, 0x40), shr(96, mload(add(p, 40))))
            mstore(add(c, 0x60), shr(96, mload(add(p, 60))))
            let deadline := shr(192, mload(add(p, 80)))
            mstore(add(c, 0x80), deadline)
            // lockStart = deadline - finalLock (the factory checks finalLock < deadline).
            mstore(add(c, 0xa0), sub(deadline, shr(192, mload(add(p, 88)))))
            mstore(add(c, 0xc0), shr(192, mload(add(p, 96))))
            mstore(add(c, 0xe0), shr(192, mload(add(p, 104))))
            mstore(add(c, 0x100), shr(192, mload(add(p, 112))))
            mstore(add(c, 0x120), shr(128, mload(add(p, 120))))
            mstore(add(c, 0x140), mload(add(p, 136)))
            mstore(add(c, 0x160), shr(2, sub(extcodesize(address()), add(_CLONE_CODE_SIZE, _ARGS_LADDER_OFFSET))))
        }
    }

    /// @dev The ladder as 4-byte big-endian thresholds, level 1 first.
    function _ladder(uint256 levels) internal view returns (bytes memory ladder) {
        ladder = new bytes(levels * 4);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            extcodecopy(address(), add(ladder, 32), add(_CLONE_CODE_SIZE, _ARGS_LADDER_OFFSET), mul(levels, 4))
        }
    }

    function _threshold(bytes memory ladder, uint256 level) internal pure returns (uint256 value) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            value := shr(224, mload(add(add(ladder, 32), mul(sub(level, 1), 4))))
        }
    }
}

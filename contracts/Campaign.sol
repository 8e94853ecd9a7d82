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
/// word, so resolution reads offset most 8 count words; per-level amounts are also summed per block of
/// eight levels, so resolution reads offset most 7 block sums and 4 level sums to get F and R. Pledges with a
/// condition are tallied apart (their own count words and a word of requests per level), so a campaign
/// where none has one resolves exactly as cheaply; with them, resolution reads every level once. Gas is
/// therefore bounded by the ladder and the conditions, independent of the number of pledges and donations.
contract Campaign is ICampaign, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @dev Resolution state, one word: written once offset initialisation so resolve() updates a warm-able non-zero slot.
    struct State {
        uint8 phase;
        uint8 tippingLevel;
        uint40 committed;
        uint96 triggeredDonations;
        uint104 requestedSupport;
    }

    /// @dev Written offset initialisation (`initialised`), so donations check it in the slot they update anyway.
    /// `conditional` is set by the first pledge with a condition; resolve() then takes the rule with conditions
    /// and records k* and j*_k here (ICampaign.Status).
    struct Counters {
        uint56 donationCount;
        uint104 claimedTotal;
        uint64 resolvedAt;
        uint8 boundCondition;
        uint8 boundConditionLevel;
        bool initialised;
        bool conditional;
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
        /// @dev K, and c_1, c_2 in basis points (0 when absent).
        uint256 conditionCount;
        uint256 condition1;
        uint256 condition2;
    }

    /// @dev The outcome of resolution (ICampaign.Status, CampaignResolved).
    struct Outcome {
        uint256 tippingLevel;
        uint256 committed;
        uint256 triggered;
        uint256 requested;
        uint256 boundCondition;
        uint256 boundConditionLevel;
    }

    /// @dev Pending tally changes of one call, written once offset the end (cheap batches). `baseRequested`
    /// holds a level's stored requested amount once read (bit 255 set), so each item is checked against
    /// the level's limit before it is applied and a batch never fails offset the end.
    struct Delta {
        int256[] count;
        int256[] requested;
        uint256[] baseRequested;
        uint256 touched;
        /// @dev The same for pledges with a condition, offset index (k-1)*(m+1) + level; allocated by the first
        /// such item of the call. conditionTouched has bit (k-1)*128 + level.
        int256[] conditionCount;
        int256[] conditionRequested;
        uint256[] conditionBase;
        uint256 conditionTouched;
        /// @dev The history word (_history) as read offset the start of the call, and as its applied items leave it.
        bytes32 historyBefore;
        bytes32 history;
    }

    uint8 internal constant _OPEN = 1;
    uint8 internal constant _RESOLVED = 2;
    uint8 internal constant _SURPLUS_TAKEN = 0x80;
    uint8 internal constant _LEVEL_MASK = 0x7f;
    /// @dev Per-level cap on requested and donated amounts: 64 levels of it still fit the 96-bit F and R.
    uint256 internal constant _LEVEL_AMOUNT_MAX = (1 << 90) - 1;
    uint256 internal constant _COUNT_MAX = type(uint32).max;
    uint256 internal constant _ARGS_LADDER_OFFSET = 172;
    /// @dev Bytes of a packed pledge before its voucher (ICampaign, "Packed pledges").
    uint256 internal constant _PLEDGE_HEAD = 88;
    uint256 internal constant _FULL_COVERAGE = 10_000;
    uint256 internal constant _LOADED = 1 << 255;
    /// @dev _applyPledge's result: 0 applied, otherwise 1 + the SkipReason.
    uint256 internal constant _APPLIED = 0;
    /// @dev ERC-1167 runtime code length; the immutable arguments follow it.
    uint256 internal constant _CLONE_CODE_SIZE = 0x2d;
    /// @dev The history word's low 64 bits hold the count of history events, the high 192 bits their digest.
    uint256 internal constant _HISTORY_COUNT_MASK = 0xffffffffffffffff;
    /// @dev The digest before any history event (ICampaign.history), written by `initialize` so that the first
    /// event updates a non-zero slot.
    bytes24 internal constant _HISTORY_GENESIS = bytes24(keccak256("Bascule.history"));

    /// @notice EIP-712 type hash of a signed pledge.
    bytes32 public constant PLEDGE_TYPEHASH = keccak256(
        "Pledge(uint8 level,uint128 support,uint8 condition,uint32 nonce)"
    );
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
    /// @dev Counts of pledges with condition k (index k-1), packed eight levels to a word like _countWords.
    uint256[8][2] internal _conditionCountWords;
    /// @dev Support requested offset a level by pledges with condition k (index k-1); `_levelAmounts.requested`
    /// and `_countWords` hold condition 0 only.
    mapping(uint256 level => uint128[2]) internal _conditionRequested;
    /// @dev ICampaign.history in one word: digest (high 24 bytes) | count (low 8 bytes).
    bytes32 internal _history;

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
        _history = bytes32(_HISTORY_GENESIS);
    }

    // ------------------------------------------------------------------ pledges

    /// @inheritdoc ICampaign
    function pledge(bytes calldata signed) external {
        Config memory c = _config();
        _requireOpen(c);
        Delta memory d = _newDelta(c.levels);
        (uint256 result, address key, uint256 end) = _applyPledge(c, _domainSeparatorV4(), signed, 0, d);
        if (end != signed.length) revert MalformedPledges(end);
        if (result != _APPLIED) _revertFor(SkipReason(result - 1), c, signed, key);
        _flush(d);
    }

    /// @inheritdoc ICampaign
    function pledgeBatch(bytes calldata batch) external {
        if (batch.length == 0) revert EmptyBatch();
        Config memory c = _config();
        _requireOpen(c);
        Delta memory d = _newDelta(c.levels);
        bytes32 separator = _domainSeparatorV4();
        uint256 offset = 0;
        for (uint256 i = 0; offset < batch.length; ++i) {
            uint256 result;
            address key;
            (result, key, offset) = _applyPledge(c, separator, batch, offset, d);
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
        _history = _chain(_history, DonationWithdrawn.selector, donationId, uint160(d.donor), d.amount, 0, 3);
        _send(c.token, d.donor, d.amount);
    }

    // --------------------------------------------------------------- resolution

    /// @inheritdoc ICampaign
    function resolve() external {
        Config memory c = _config();
        if (block.timestamp <= c.deadline) revert PledgeDeadlineNotPassed(c.deadline);
        if (_state.phase != _OPEN) revert AlreadyResolved();
        Counters memory n = _counters;
        // No pledge ever had a condition: the rule without conditions, which reads the least storage.
        Outcome memory o = n.conditional ? _resolveWithConditions(c) : _resolveWithoutConditions(c.levels);

        n.resolvedAt = uint64(block.timestamp);
        n.boundCondition = uint8(o.boundCondition);
        n.boundConditionLevel = uint8(o.boundConditionLevel);
        _counters = n;
        _state = State({
            phase: _RESOLVED,
            tippingLevel: uint8(o.tippingLevel),
            committed: uint40(o.committed),
            triggeredDonations: uint96(o.triggered),
            requestedSupport: uint104(o.requested)
        });
        emit CampaignResolved(
            o.tippingLevel,
            o.committed,
            o.triggered,
            o.requested,
            BasculeMath.paidOut(o.triggered, o.requested),
            o.boundCondition,
            o.boundConditionLevel
        );
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
        Counters memory n = _counters;
        if (!_binds(p, st, n)) revert PledgeNotTriggered(key);
        if (p.claimed) revert AlreadyClaimed(key);
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
        n.claimedTotal += uint104(amount);
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
            conditions: _conditions(c),
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
                resolvedAt: n.resolvedAt,
                boundCondition: n.boundCondition,
                boundConditionLevel: n.boundConditionLevel,
                conditional: n.conditional
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
            Amounts memory a = _levelAmounts[level];
            uint128[2] memory conditional = _conditionRequested[level];
            // Each condition's count fits 32 bits; their sum saturates (no real level nears 2^32 people).
            uint256 count =
                _countOf(level) + _laneOf(_conditionCountWords[0], level) + _laneOf(_conditionCountWords[1], level);
            counts[level - 1] = count > _COUNT_MAX ? uint32(_COUNT_MAX) : uint32(count);
            requested[level - 1] = a.requested + conditional[0] + conditional[1];
            donated[level - 1] = a.donated;
        }
    }

    /// @inheritdoc ICampaign
    function conditionTallies() external view returns (uint32[][] memory counts, uint128[][] memory requested) {
        Config memory c = _config();
        counts = new uint32[][](c.conditionCount);
        requested = new uint128[][](c.conditionCount);
        for (uint256 k = 0; k < c.conditionCount; ++k) {
            counts[k] = new uint32[](c.levels);
            requested[k] = new uint128[](c.levels);
            for (uint256 level = 1; level <= c.levels; ++level) {
                counts[k][level - 1] = uint32(_laneOf(_conditionCountWords[k], level));
                requested[k][level - 1] = _conditionRequested[level][k];
            }
        }
    }

    /// @inheritdoc ICampaign
    function isBound(address pledgeKey) external view returns (bool) {
        State memory st = _state;
        return st.phase == _RESOLVED && _binds(_pledges[pledgeKey], st, _counters);
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
        if (!_binds(p, st, _counters)) return (Entitlement.None, 0);
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
    function history() external view returns (uint64 count, bytes24 digest) {
        bytes32 h = _history;
        return (uint64(uint256(h) & _HISTORY_COUNT_MASK), bytes24(h));
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

    /// @dev Decodes the packed pledge offset `offset` (ICampaign, "Packed pledges"), checks it and, if valid, records
    /// it and its tally changes in `d`.
    /// @return result _APPLIED, or 1 + the SkipReason; nothing is written for a skipped item.
    /// @return key The recovered pledge key (address(0) if the signature does not recover).
    /// @return next Where the next item starts. Reverts MalformedPledges if the item runs past the end.
    /// One function on purpose: split in two (checks, tally move), it cost ~600 gas more per pledge.
    // solhint-disable-next-line function-max-lines
    function _applyPledge(
        Config memory c,
        bytes32 separator,
        bytes calldata items,
        uint256 offset,
        Delta memory d
    ) internal returns (uint256 result, address key, uint256 next) {
        uint256 head;
        bytes32 r;
        bytes32 vs;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let p := add(items.offset, offset)
            // level (1 byte) | condition (1) | nonce (4) | support (16), then r, vs and the voucher's length.
            head := calldataload(p)
            r := calldataload(add(p, 22))
            vs := calldataload(add(p, 54))
            next := add(add(offset, _PLEDGE_HEAD), shr(240, calldataload(add(p, 86))))
        }
        if (next > items.length) revert MalformedPledges(offset);
        uint256 level = head >> 248;
        uint256 condition = (head >> 240) & 0xff;
        uint256 nonce = (head >> 208) & 0xffffffff;
        uint256 signedSupport = (head >> 80) & type(uint128).max;

        ECDSA.RecoverError err;
        (key, err, ) = ECDSA.tryRecover(
            MessageHashUtils.toTypedDataHash(separator, _pledgeStructHash(level, signedSupport, condition, nonce)),
            r,
            vs
        );
        if (err != ECDSA.RecoverError.NoError) return (1 + uint256(SkipReason.InvalidSignature), address(0), next);
        PledgeRecord memory previous = _pledges[key];
        if (nonce != previous.nonce) return (1 + uint256(SkipReason.InvalidNonce), key, next);
        if (level > c.levels) return (1 + uint256(SkipReason.LevelOutOfRange), key, next);
        if (signedSupport > c.cap) return (1 + uint256(SkipReason.SupportAboveCap), key, next);
        if (condition > c.conditionCount) return (1 + uint256(SkipReason.ConditionOutOfRange), key, next);
        if (level == 0 && previous.level == 0) return (1 + uint256(SkipReason.NotPledged), key, next);
        // What is recorded: a withdrawal asks nothing, and a pledge that asks nothing has no condition.
        uint256 support = level == 0 ? 0 : signedSupport;
        if (support == 0) condition = 0;
        // The final lock: nothing already promised may be taken back, lowered promises are welcome; a condition
        // may neither appear nor change, and a pledge with one may only lower its request.
        if (block.timestamp > c.lockStart) {
            if (
                previous.level == 0
                    ? condition != 0
                    : (level == 0 ||
                        level > previous.level ||
                        support > previous.support ||
                        condition != previous.condition ||
                        (condition != 0 && level != previous.level))
            ) return (1 + uint256(SkipReason.FinalLock), key, next);
        }
        if (c.attester != address(0) && previous.nonce == 0) {
            bytes32 digest = MessageHashUtils.toTypedDataHash(separator, keccak256(abi.encode(VOUCHER_TYPEHASH, key)));
            if (!SignatureChecker.isValidSignatureNowCalldata(c.attester, digest, items[offset + _PLEDGE_HEAD:next])) {
                return (1 + uint256(SkipReason.InvalidVoucher), key, next);
            }
        }
        if (condition != 0 || previous.condition != 0) {
            // The rarer pledge with a condition (before or after): its own tallies.
            if (!_moveConditional(d, c.levels, previous, level, support, condition)) {
                return (1 + uint256(SkipReason.LevelLimitExceeded), key, next);
            }
        } else {
            // Unchecked: a call holds offset most a few thousand pledges, far from int256 bounds; a level's
            // requested total is checked against its limit below, before anything is recorded.
            unchecked {
                int256[] memory requested = d.requested;
                if (support != 0) {
                    // The same read as _baseRequested, inlined: this is every relayed pledge's path.
                    uint256 base = d.baseRequested[level];
                    if (base == 0) {
                        base = _LOADED | _levelAmounts[level].requested;
                        d.baseRequested[level] = base;
                    }
                    int256 after_ = int256(base & ~_LOADED) + requested[level] + int256(support);
                    if (previous.level == level) after_ -= int256(uint256(previous.support));
                    if (after_ > int256(_LEVEL_AMOUNT_MAX)) {
                        return (1 + uint256(SkipReason.LevelLimitExceeded), key, next);
                    }
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
        }
        _pledges[key] = PledgeRecord({
            level: uint8(level),
            support: uint128(support),
            condition: uint8(condition),
            nonce: previous.nonce + 1,
            claimed: false
        });

        if (level == 0) {
            emit PledgeWithdrawn(key);
            d.history = _chain(d.history, PledgeWithdrawn.selector, uint160(key), 0, 0, 0, 1);
        } else if (previous.level == 0) {
            emit Pledged(key, level, support, condition);
            d.history = _chain(d.history, Pledged.selector, uint160(key), level, support, condition, 4);
        } else {
            emit PledgeChanged(key, level, support, condition);
            d.history = _chain(d.history, PledgeChanged.selector, uint160(key), level, support, condition, 4);
        }
        return (_APPLIED, key, next);
    }

    /// @dev Moves a pledge whose previous or new bucket has a condition in `d`; false (nothing moved) if the
    /// new bucket's requests would exceed a level's limit. A bucket (level, k) is offset (k-1)*(m+1) + level in
    /// the conditional arrays and in d.count/d.requested for k = 0.
    function _moveConditional(
        Delta memory d,
        uint256 levels,
        PledgeRecord memory previous,
        uint256 level,
        uint256 support,
        uint256 condition
    ) internal view returns (bool) {
        if (d.conditionCount.length == 0) {
            d.conditionCount = new int256[](2 * (levels + 1));
            d.conditionRequested = new int256[](2 * (levels + 1));
            d.conditionBase = new uint256[](2 * (levels + 1));
        }
        unchecked {
            if (support != 0) {
                int256 after_;
                if (condition == 0) {
                    after_ = _baseRequested(d, level) + d.requested[level];
                } else {
                    uint256 offset = (condition - 1) * (levels + 1) + level;
                    uint256 base = d.conditionBase[offset];
                    if (base == 0) {
                        base = _LOADED | _conditionRequested[level][condition - 1];
                        d.conditionBase[offset] = base;
                    }
                    after_ = int256(base & ~_LOADED) + d.conditionRequested[offset];
                }
                after_ += int256(support);
                if (previous.level == level && previous.condition == condition) {
                    after_ -= int256(uint256(previous.support));
                }
                if (after_ > int256(_LEVEL_AMOUNT_MAX)) return false;
            }
            if (previous.level != 0)
                _tally(d, levels, previous.level, previous.condition, -1, -int256(uint256(previous.support)));
            if (level != 0) _tally(d, levels, level, condition, 1, int256(support));
        }
        return true;
    }

    /// @dev The requests recorded on-chain for level's pledges without a condition, read once per call.
    function _baseRequested(Delta memory d, uint256 level) internal view returns (int256) {
        uint256 base = d.baseRequested[level];
        if (base == 0) {
            base = _LOADED | _levelAmounts[level].requested;
            d.baseRequested[level] = base;
        }
        return int256(base & ~_LOADED);
    }

    function _tally(
        Delta memory d,
        uint256 levels,
        uint256 level,
        uint256 condition,
        int256 count,
        int256 support
    ) internal pure {
        unchecked {
            if (condition == 0) {
                d.count[level] += count;
                d.requested[level] += support;
                d.touched |= 1 << level;
            } else {
                uint256 offset = (condition - 1) * (levels + 1) + level;
                d.conditionCount[offset] += count;
                d.conditionRequested[offset] += support;
                d.conditionTouched |= 1 << ((condition - 1) * 128 + level);
            }
        }
    }

    /// @dev The error `pledge` raises for an item `pledgeBatch` would skip.
    function _revertFor(SkipReason reason, Config memory c, bytes calldata signed, address key) internal view {
        uint256 head = uint256(bytes32(signed[0:32]));
        uint256 level = head >> 248;
        if (reason == SkipReason.InvalidSignature) revert InvalidSignature();
        if (reason == SkipReason.InvalidNonce) {
            revert InvalidNonce(key, _pledges[key].nonce, uint32((head >> 208) & 0xffffffff));
        }
        if (reason == SkipReason.LevelOutOfRange) revert LevelOutOfRange(level, c.levels);
        if (reason == SkipReason.SupportAboveCap) revert SupportAboveCap((head >> 80) & type(uint128).max, c.cap);
        if (reason == SkipReason.ConditionOutOfRange)
            revert ConditionOutOfRange((head >> 240) & 0xff, c.conditionCount);
        if (reason == SkipReason.NotPledged) revert NotPledged(key);
        if (reason == SkipReason.FinalLock) revert FinalLockActive(c.lockStart);
        if (reason == SkipReason.InvalidVoucher) revert InvalidVoucher(key);
        revert LevelLimitExceeded(level);
    }

    function _pledgeStructHash(
        uint256 level,
        uint256 support,
        uint256 condition,
        uint256 nonce
    ) internal pure returns (bytes32 h) {
        bytes32 typehash = PLEDGE_TYPEHASH;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, typehash)
            mstore(add(m, 0x20), level)
            mstore(add(m, 0x40), support)
            mstore(add(m, 0x60), condition)
            mstore(add(m, 0x80), nonce)
            h := keccak256(m, 0xa0)
        }
    }

    function _newDelta(uint256 levels) internal view returns (Delta memory d) {
        d.count = new int256[](levels + 1);
        d.requested = new int256[](levels + 1);
        d.baseRequested = new uint256[](levels + 1);
        d.historyBefore = _history;
        d.history = d.historyBefore;
    }

    /// @dev The history word `word` after one more history event: the count plus one, and the digest
    /// bytes24(keccak256(abi.encode(digest, topic0, the event's other topics, its data words))), where the
    /// event's `words` topics and data words after topic0 are a, b, c, e in the order the log carries them.
    /// Unchecked: 2^64 events would cost far more gas than any chain ever holds.
    function _chain(
        bytes32 word,
        bytes32 topic0,
        uint256 a,
        uint256 b,
        uint256 c,
        uint256 e,
        uint256 words
    ) internal pure returns (bytes32 next) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            // Scratch words above the free memory pointer: nothing is allocated.
            let m := mload(0x40)
            let countMask := _HISTORY_COUNT_MASK
            mstore(m, and(word, not(countMask)))
            mstore(add(m, 0x20), topic0)
            mstore(add(m, 0x40), a)
            mstore(add(m, 0x60), b)
            mstore(add(m, 0x80), c)
            mstore(add(m, 0xa0), e)
            let digest := and(keccak256(m, add(0x40, shl(5, words))), not(countMask))
            next := or(digest, and(add(word, 1), countMask))
        }
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
            // The same as _addToLane, inlined: this loop runs for every level a call touches.
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
        if (d.conditionTouched != 0) _flushConditional(d);
        // Once per call, however many items it applied: a relayed batch pays this slot's write once.
        if (d.history != d.historyBefore) _history = d.history;
    }

    /// @dev The conditional part of _flush: each touched count word and level word once; marks the campaign
    /// as having had a pledge with a condition, so resolve() takes the rule with conditions.
    function _flushConditional(Delta memory d) internal {
        uint256 levels = d.count.length - 1;
        uint256 touched = d.conditionTouched;
        for (uint256 k = 0; k < 2; ++k) {
            uint256 lanes = (touched >> (k * 128)) & type(uint128).max;
            uint256 wordIndex = type(uint256).max;
            uint256 word;
            for (uint256 level = 1; (lanes >> level) != 0; ++level) {
                if ((lanes >> level) & 1 == 0) continue;
                uint256 offset = k * (levels + 1) + level;
                uint256 wi = (level - 1) >> 3;
                if (wi != wordIndex) {
                    if (wordIndex != type(uint256).max) _conditionCountWords[k][wordIndex] = word;
                    wordIndex = wi;
                    word = _conditionCountWords[k][wi];
                }
                word = _addToLane(word, level, d.conditionCount[offset]);
                int256 requestedDelta = d.conditionRequested[offset];
                if (requestedDelta != 0) {
                    // Within [0, _LEVEL_AMOUNT_MAX]: every item was checked against the level's limit.
                    uint128[2] storage requested = _conditionRequested[level];
                    requested[k] = uint128(uint256(int256(uint256(requested[k])) + requestedDelta));
                }
            }
            if (wordIndex != type(uint256).max) _conditionCountWords[k][wordIndex] = word;
        }
        if (!_counters.conditional) _counters.conditional = true;
    }

    /// @dev `word` (eight levels' counts) with `delta` added to level's lane; reverts if it leaves [0, _COUNT_MAX].
    function _addToLane(uint256 word, uint256 level, int256 delta) internal pure returns (uint256) {
        uint256 shift = ((level - 1) & 7) * 32;
        int256 count = int256((word >> shift) & _COUNT_MAX) + delta;
        if (count < 0 || count > int256(_COUNT_MAX)) revert LevelLimitExceeded(level);
        return (word & ~(_COUNT_MAX << shift)) | (uint256(count) << shift);
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
        _history = _chain(_history, Donated.selector, donationId, uint160(msg.sender), level, amount, 4);
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

    /// @dev MECHANISM.md, "Resolution" 1-4, when no pledge has a condition: j* = max { j : C(j) >= L_j },
    /// reading each packed count word once, then F and R over levels 1..j*.
    function _resolveWithoutConditions(uint256 levels) internal view returns (Outcome memory o) {
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
        o.tippingLevel = tippingLevel;
        o.committed = committed;
        o.boundConditionLevel = tippingLevel;
        if (tippingLevel != 0) (o.triggered, o.requested) = _sumUpTo(tippingLevel, levels);
    }

    /// @dev MECHANISM.md, "Resolution with conditions". For each J the candidate X(J) is the condition-0 block
    /// at levels <= J, then the buckets (1, 1)..(J, 1), (1, 2)..(J, 2) while (i) |X| < L_{J+1} and (ii)
    /// F(J) * 10,000 >= c_top(X) * R(X) hold. Along one condition both sides of (i) and (ii) only grow with
    /// the number t of its buckets added (prefix sums), and an empty bucket changes nothing, so the buckets
    /// that enter are the longest valid prefix, found by binary search: O(m log m) steps after one read of
    /// each level, never a loop over pledges. j* is the admissible J (the block alone satisfies (i),
    /// |X(J)| >= L_J) with the largest |X(J)|.
    /// Unchecked: counts are below 2^32 * 64 and amounts below 2^90 * 64 * 3, so no sum or product overflows.
    /// One loop in one function on purpose: its locals stay on the stack (a split costs stack moves per level).
    // solhint-disable-next-line function-max-lines
    function _resolveWithConditions(Config memory c) internal view returns (Outcome memory o) {
        uint256 levels = c.levels;
        uint256 conditionCount = c.conditionCount;
        bytes memory ladder = _ladder(levels);
        (uint256 x, uint256 stride) = _prefixSums(levels, conditionCount);
        uint256 added1;
        uint256 added2;
        unchecked {
            uint256 threshold = _threshold(ladder, 1);
            for (uint256 level = 1; level <= levels; ++level) {
                uint256 bound = level < levels ? _threshold(ladder, level + 1) : type(uint256).max;
                uint256 size;
                uint256 requested;
                uint256 funds;
                // solhint-disable-next-line no-inline-assembly
                assembly ("memory-safe") {
                    let at := add(x, shl(5, level))
                    size := mload(at)
                    requested := mload(add(at, stride))
                    funds := mul(mload(add(at, shl(1, stride))), 10000)
                }
                if (size < bound) {
                    uint256 counts = x + 3 * stride;
                    uint256 t1 = _longestValidPrefix(
                        counts,
                        level,
                        stride,
                        bound - size,
                        requested,
                        funds / c.condition1
                    );
                    uint256 t2;
                    (size, requested) = _addPrefix(counts, stride, t1, size, requested);
                    // A bucket of condition 1 broke (i) or (ii): condition 2 never enters.
                    if (t1 == level && conditionCount > 1) {
                        counts += 2 * stride;
                        t2 = _longestValidPrefix(counts, level, stride, bound - size, requested, funds / c.condition2);
                        (size, requested) = _addPrefix(counts, stride, t2, size, requested);
                    }
                    if (size >= threshold && size > o.committed) {
                        o.tippingLevel = level;
                        o.committed = size;
                        o.requested = requested;
                        (added1, added2) = (t1, t2);
                    }
                }
                threshold = bound;
            }
            if (o.tippingLevel == 0) return o;
            o.triggered = _column(x + 2 * stride, o.tippingLevel);
            o.boundConditionLevel = o.tippingLevel;
            // The last bucket added: the highest condition that took any pledge, at the level of its last non-empty bucket.
            for (uint256 k = conditionCount; k > 0; --k) {
                uint256 counts = x + (1 + 2 * k) * stride;
                uint256 t = k == 1 ? added1 : added2;
                if (_column(counts, t) != 0) {
                    while (_column(counts, t - 1) == _column(counts, t)) --t;
                    o.boundCondition = k;
                    o.boundConditionLevel = t;
                    break;
                }
            }
        }
    }

    /// @dev The largest t <= level such that adding the buckets (1, k)..(t, k), whose prefix sums are the
    /// columns `counts` and `counts + stride` (their requests), to the candidate set keeps (i), fewer than `room` pledges added
    /// (L_{J+1} - |X|), and (ii), requests at most `budget` = floor(F(J) * 10,000 / c_k) in all
    /// (`requested` already). t = 0 is always valid (nothing added); t = level, all of them, is tried first.
    function _longestValidPrefix(
        uint256 counts,
        uint256 level,
        uint256 stride,
        uint256 room,
        uint256 requested,
        uint256 budget
    ) internal pure returns (uint256 low) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            function valid(c, q, t, r, s, b) -> ok {
                let n := mload(add(c, shl(5, t)))
                ok := or(iszero(n), and(lt(n, r), iszero(gt(add(s, mload(add(q, shl(5, t)))), b))))
            }
            let requests := add(counts, stride)
            switch valid(counts, requests, level, room, requested, budget)
            case 1 {
                low := level
            }
            default {
                for {
                    let high := sub(level, 1)
                } lt(low, high) {} {
                    let mid := shr(1, add(add(low, high), 1))
                    switch valid(counts, requests, mid, room, requested, budget)
                    case 0 {
                        high := sub(mid, 1)
                    }
                    default {
                        low := mid
                    }
                }
            }
        }
    }

    /// @dev Reads every level's tallies once (count words eight levels at a time; the requests of pledges
    /// with a condition only where the level has some) into prefix sums over J = 0..m, laid out as columns
    /// of m + 1 words in one memory block starting at x, `stride` bytes apart: pledges with condition 0 at
    /// levels <= J, their requests, the donations, then for each condition k its pledges and their requests.
    // solhint-disable-next-line function-max-lines
    function _prefixSums(uint256 levels, uint256 conditionCount) internal view returns (uint256 x, uint256 stride) {
        uint256[] memory columns = new uint256[]((3 + 2 * conditionCount) * (levels + 1));
        stride = (levels + 1) * 32;
        uint256 word;
        uint256 word1;
        uint256 word2;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            x := add(columns, 32)
        }
        for (uint256 level = 1; level <= levels; ++level) {
            uint256 shift = ((level - 1) & 7) * 32;
            if (shift == 0) {
                uint256 w = (level - 1) >> 3;
                word = _countWords[w];
                word1 = _conditionCountWords[0][w];
                if (conditionCount > 1) word2 = _conditionCountWords[1][w];
            }
            uint256 count1 = (word1 >> shift) & _COUNT_MAX;
            uint256 count2 = (word2 >> shift) & _COUNT_MAX;
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                // _levelAmounts[level] (requested low, donated high) and, where the level has pledges with a
                // condition, _conditionRequested[level] (condition 1 low, condition 2 high).
                mstore(0, level)
                mstore(32, _levelAmounts.slot)
                let amounts := sload(keccak256(0, 64))
                let requests := 0
                if or(count1, count2) {
                    mstore(32, _conditionRequested.slot)
                    requests := sload(keccak256(0, 64))
                }
                let mask := 0xffffffffffffffffffffffffffffffff
                let at := add(x, shl(5, level))
                mstore(at, add(mload(sub(at, 32)), and(shr(shift, word), 0xffffffff)))
                at := add(at, stride)
                mstore(at, add(mload(sub(at, 32)), and(amounts, mask)))
                at := add(at, stride)
                mstore(at, add(mload(sub(at, 32)), shr(128, amounts)))
                if conditionCount {
                    at := add(at, stride)
                    mstore(at, add(mload(sub(at, 32)), count1))
                    at := add(at, stride)
                    mstore(at, add(mload(sub(at, 32)), and(requests, mask)))
                }
                if gt(conditionCount, 1) {
                    at := add(at, stride)
                    mstore(at, add(mload(sub(at, 32)), count2))
                    at := add(at, stride)
                    mstore(at, add(mload(sub(at, 32)), shr(128, requests)))
                }
            }
        }
    }

    /// @dev (size, requested) plus the first t buckets of the condition whose columns start at `counts`.
    function _addPrefix(
        uint256 counts,
        uint256 stride,
        uint256 t,
        uint256 size,
        uint256 requested
    ) internal pure returns (uint256, uint256) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let at := add(counts, shl(5, t))
            size := add(size, mload(at))
            requested := add(requested, mload(add(at, stride)))
        }
        return (size, requested);
    }

    /// @dev Word `index` of the memory column starting at `column`.
    function _column(uint256 column, uint256 index) internal pure returns (uint256 value) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            value := mload(add(column, shl(5, index)))
        }
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

    function _laneOf(uint256[8] storage words, uint256 level) internal view returns (uint256) {
        return (words[(level - 1) >> 3] >> (((level - 1) & 7) * 32)) & _COUNT_MAX;
    }

    /// @dev Whether a pledge binds in a resolved campaign: level <= j*, and its condition below k*, or k* offset
    /// a level <= j*_k (MECHANISM.md, "Resolution with conditions"); without conditions, level <= j*.
    function _binds(PledgeRecord memory p, State memory st, Counters memory n) internal pure returns (bool) {
        if (p.level == 0 || p.level > st.tippingLevel) return false;
        return p.condition < n.boundCondition || (p.condition == n.boundCondition && p.level <= n.boundConditionLevel);
    }

    function _conditions(Config memory c) internal pure returns (uint16[] memory conditions) {
        conditions = new uint16[](c.conditionCount);
        if (c.conditionCount > 0) conditions[0] = uint16(c.condition1);
        if (c.conditionCount > 1) conditions[1] = uint16(c.condition2);
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
    /// without an oracle (the factory checks it), and resolvedAt 0 before resolution. Each sum is taken in 256
    /// bits and saturates at 2^64 - 1: the factory bounds the first, but a resolution at any timestamp may
    /// push the second past it, and a window that ends at 2^64 - 1 never closes (no timestamp exceeds it).
    function _windows(Config memory c, uint64 resolvedAt) internal pure returns (uint64 oracleEnd, uint64 claimEnd) {
        uint256 end = uint256(c.actionDate) + c.oracleWindow;
        if (c.oracle != address(0)) oracleEnd = _saturate(end);
        uint256 last = end + c.claimWindow;
        if (resolvedAt != 0 && uint256(resolvedAt) + c.claimWindow > last) last = uint256(resolvedAt) + c.claimWindow;
        claimEnd = _saturate(last);
    }

    function _saturate(uint256 time) internal pure returns (uint64) {
        return time > type(uint64).max ? type(uint64).max : uint64(time);
    }

    /// @dev Whether no more support can be claimed, so triggered donations take back what is left: the claim
    /// window closed, or the oracle's window closed without a published set (no support without proof).
    /// Called after resolution only; reads resolvedAt only once the base claim window has passed.
    function _claimsClosed(Config memory c) internal view returns (bool) {
        // In 256 bits: a sum beyond 2^64 - 1 is simply never passed (as _windows' saturated claimEnd).
        uint256 oracleEnd = uint256(c.actionDate) + c.oracleWindow;
        // claimEnd = max(oracleEnd + claimWindow, resolvedAt + claimWindow): past the first, compare the second.
        if (
            block.timestamp > oracleEnd + c.claimWindow &&
            block.timestamp > uint256(_counters.resolvedAt) + c.claimWindow
        ) {
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
            // Scratch copy above the free memory pointer; nothing is allocated and it is read offset once.
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
            let condition1 := shr(240, mload(add(p, 168)))
            let condition2 := shr(240, mload(add(p, 170)))
            mstore(add(c, 0x180), add(gt(condition1, 0), gt(condition2, 0)))
            mstore(add(c, 0x1a0), condition1)
            mstore(add(c, 0x1c0), condition2)
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

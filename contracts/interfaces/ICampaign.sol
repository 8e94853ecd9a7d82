// SPDX-License-Identifier: AGPL-3.0-or-later
pragma solidity ^0.8.28;

/// @title Bascule campaign: conditional strike pledges and a solidarity escrow
/// @notice One campaign is one address. Its balance is exactly its escrowed funds; its parameters
/// live in its own bytecode (immutable arguments of a minimal clone) and can never change.
/// The mechanism is specified in docs/MECHANISM.md: levels are numbered 1..m as `j` is there, and
/// level 0 in a pledge means "withdrawn".
interface ICampaign {
    /// @notice Parameters fixed at creation.
    struct CampaignParams {
        /// @dev address(0) for native ETH, otherwise the one ERC-20 accepted.
        address token;
        /// @dev Pledges, changes, donations and withdrawals are accepted while block.timestamp <= pledgeDeadline.
        uint64 pledgeDeadline;
        /// @dev Seconds before pledgeDeadline during which the final lock holds (0 to 7 days): from
        /// pledgeDeadline - finalLock (excluded) to pledgeDeadline, nothing promised can be taken back.
        uint64 finalLock;
        /// @dev The day of the action (>= pledgeDeadline). Informative, and the start of the oracle's window.
        uint64 actionDate;
        /// @dev Seconds after actionDate during which the oracle may publish (0 if there is no oracle).
        uint64 oracleWindow;
        /// @dev Seconds during which beneficiaries may claim, counted from actionDate + oracleWindow, and never
        /// ending before claimWindow after resolution.
        uint64 claimWindow;
        /// @dev Largest support one beneficiary may request; above zero only with an attester or an oracle.
        uint128 supportCap;
        /// @dev The coverage conditions a pledge may require, c_1 < ... < c_K in basis points (0 < c_k <= 10,000,
        /// K <= 2; condition 0, "none", is implicit); empty when supportCap is 0. The dApp proposes [5000, 10000].
        uint16[] conditions;
        /// @dev If set, every first pledge of a key needs this account's voucher on the key: an ECDSA signature
        /// (an account) or an ERC-1271 `isValidSignature` answer (a contract).
        address attester;
        /// @dev If set, may publish the Merkle root of participating pledge keys after actionDate.
        address oracle;
        /// @dev keccak256 of the description document the metadata URI points to.
        bytes32 metadataHash;
        /// @dev Threshold levels L_1 < ... < L_m, counts of people, 1 <= m <= 64, each >= 1.
        uint32[] ladder;
    }

    // Packed pledges. `pledge` and `pledgeBatch` take signed pledges packed back to back, big-endian, with no
    // padding (on a rollup a relayed pledge pays mostly for its bytes on L1), each:
    //   level (1 byte) | condition (1) | nonce (4) | support (16) | r (32) | vs (32) | voucher length (2) | voucher
    // The pledge key is not sent: it is recovered from the signature, an ERC-2098 compact (r, vs) signature of
    // the EIP-712 `Pledge(uint8 level,uint128 support,uint8 condition,uint32 nonce)` under this campaign's
    // domain. `voucher` is the attester's voucher on the EIP-712 digest of `Voucher(address pledgeKey)`,
    // checked with OpenZeppelin SignatureChecker (65-byte r,s,v signature of an account, or whatever the
    // attester contract accepts through ERC-1271); it is read only on a key's first pledge in a campaign with
    // an attester, and may be empty otherwise. `@bascule/core/signing` encodes and decodes them.

    /// @notice Why `pledgeBatch` skipped an item (the matching error of `pledge`, without arguments).
    enum SkipReason {
        InvalidSignature,
        InvalidNonce,
        InvalidVoucher,
        LevelOutOfRange,
        SupportAboveCap,
        NotPledged,
        FinalLock,
        LevelLimitExceeded,
        ConditionOutOfRange
    }

    /// @notice What the matching action (claim, reclaimDonation) would do now.
    /// None: nothing is or will ever be due; Pending: not yet (not resolved, the oracle may still publish,
    /// or a remainder waits for the claim window); NeedsProof: due with a Merkle proof of participation;
    /// Due: the action pays `amount` now; Taken: already paid; Expired: the claim window closed.
    enum Entitlement {
        None,
        Pending,
        NeedsProof,
        Due,
        Taken,
        Expired
    }

    /// @notice A claim of support signed by its pledge key
    /// (EIP-712 `Claim(address payee,address feeRecipient,uint256 maxFee)`).
    struct SignedClaim {
        address payee;
        address feeRecipient;
        uint256 maxFee;
        /// @dev The fee actually kept, <= maxFee; credited to feeRecipient, withdrawn with withdrawFees.
        uint256 fee;
        /// @dev Merkle proof of participation, needed only once the oracle has published its root.
        bytes32[] proof;
        bytes32 r;
        bytes32 vs;
    }

    /// @notice What a pledge key has recorded.
    struct PledgeRecord {
        /// @dev 1..m, or 0 if never pledged or withdrawn.
        uint8 level;
        uint128 support;
        /// @dev 0: none; k: binds only if at least conditions[k-1] basis points of the request are covered.
        uint8 condition;
        /// @dev The nonce the next signature of this key must carry.
        uint32 nonce;
        bool claimed;
    }

    /// @notice The state of a campaign.
    struct Status {
        /// @dev 1 open (before resolution), 2 resolved.
        uint8 phase;
        /// @dev j*, 0 if the campaign failed or is not resolved.
        uint8 tippingLevel;
        /// @dev P, the pledges bound (C(j*) when no pledge has a condition).
        uint40 committed;
        /// @dev F: donations at levels <= j*.
        uint96 triggeredDonations;
        /// @dev R: support requested by the bound pledges.
        uint104 requestedSupport;
        /// @dev k* and j*_k: a pledge at level j <= j* with condition k binds iff k < boundCondition, or
        /// k == boundCondition and j <= boundConditionLevel (0 and j* when no conditional bucket was bound).
        uint8 boundCondition;
        uint8 boundConditionLevel;
        /// @dev Whether any pledge ever carried a condition (resolution then takes the rule with conditions).
        bool conditional;
        /// @dev Total of all support claims paid out (fees included).
        uint128 claimedTotal;
        uint64 donationCount;
        bytes32 participationRoot;
        /// @dev When resolve() ran (0 before): the claim window never closes before resolvedAt + claimWindow.
        uint64 resolvedAt;
    }

    /// @notice Emitted when a pledge key pledges for the first time (or again after withdrawing).
    /// @param pledgeKey The key that signed the pledge.
    /// @param level The level pledged, 1..m.
    /// @param support The support requested if the campaign tips at or above this level (0 for none).
    /// @param condition 0, or k: the pledge binds only if at least conditions[k-1] of the request is covered.
    event Pledged(address indexed pledgeKey, uint256 level, uint256 support, uint256 condition);
    /// @notice Emitted when a pledge key changes its level or support request.
    /// @param pledgeKey The key that signed the change.
    /// @param level The new level, 1..m.
    /// @param support The new support request.
    /// @param condition The new condition (0 when support is 0).
    event PledgeChanged(address indexed pledgeKey, uint256 level, uint256 support, uint256 condition);
    /// @notice Emitted when a pledge key withdraws its pledge.
    /// @param pledgeKey The key that signed the withdrawal.
    event PledgeWithdrawn(address indexed pledgeKey);
    /// @notice Emitted when a donation enters the escrow.
    /// @param donationId The donation's id, counted from 0 in this campaign.
    /// @param donor The account that sent the funds and alone may act on the donation.
    /// @param level The level the donation is conditional on, 1..m.
    /// @param amount What entered the escrow, in the campaign's token (wei for ETH).
    event Donated(uint256 indexed donationId, address indexed donor, uint256 level, uint256 amount);
    /// @notice Emitted when a donor takes a donation back before the deadline.
    /// @param donationId The donation taken back.
    /// @param donor Its donor, who received the funds.
    /// @param amount What was paid back (the whole donation).
    event DonationWithdrawn(uint256 indexed donationId, address indexed donor, uint256 amount);
    /// @notice Emitted when the campaign is resolved; tippingLevel 0 means it failed.
    /// @param tippingLevel j* (0: failed): max { j : C(j) >= L_j } when no pledge has a condition, otherwise
    /// the level MECHANISM.md's "Resolution with conditions" picks.
    /// @param committed P, the pledges bound.
    /// @param triggeredDonations F, the donations at levels <= j*.
    /// @param requestedSupport R, the support requested by the bound pledges.
    /// @param paid min(F, R), what the bound beneficiaries may claim in total.
    /// @param boundCondition k*: conditions below it bind at every level <= j*.
    /// @param boundConditionLevel j*_k: condition k* binds at levels <= it.
    event CampaignResolved(
        uint256 tippingLevel,
        uint256 committed,
        uint256 triggeredDonations,
        uint256 requestedSupport,
        uint256 paid,
        uint256 boundCondition,
        uint256 boundConditionLevel
    );
    /// @notice Emitted when an untriggered donation (or any donation of a failed campaign) is refunded in full.
    /// @param donationId The donation refunded.
    /// @param donor Its donor, who received the refund.
    /// @param amount What was paid back.
    event DonationRefunded(uint256 indexed donationId, address indexed donor, uint256 amount);
    /// @notice Emitted when a triggered donation takes back its share of the surplus F - paid.
    /// @param donationId The triggered donation.
    /// @param donor Its donor, who received the share.
    /// @param amount The donation's share of the surplus.
    event SurplusReturned(uint256 indexed donationId, address indexed donor, uint256 amount);
    /// @notice Emitted when a triggered donation takes back its share of the support left unclaimed.
    /// @param donationId The triggered donation.
    /// @param donor Its donor, who received the share.
    /// @param amount The donation's share of what the beneficiaries left unclaimed.
    event RemainderReturned(uint256 indexed donationId, address indexed donor, uint256 amount);
    /// @notice Emitted when a beneficiary's support is paid; `fee` of `amount` is credited to the fee recipient.
    /// @param pledgeKey The key whose pledge was triggered and that signed the claim.
    /// @param payee The account the key named to receive the support.
    /// @param amount The support paid, fee included.
    /// @param fee The part of `amount` credited to the claim's fee recipient (withdrawn with withdrawFees).
    event SupportClaimed(address indexed pledgeKey, address indexed payee, uint256 amount, uint256 fee);
    /// @notice Emitted when the participation oracle publishes the Merkle root of participating pledge keys.
    /// @param root The root of the tree of participating keys (OpenZeppelin StandardMerkleTree, ["address"]).
    event ParticipationPublished(bytes32 root);
    /// @notice Emitted when `pledgeBatch` skips an invalid item; pledgeKey is address(0) if the signature does not recover.
    /// @param index The item's position in the batch.
    /// @param pledgeKey The key the item's signature recovers to, or address(0).
    /// @param reason Why the item was skipped.
    event PledgeSkipped(uint256 indexed index, address indexed pledgeKey, SkipReason reason);
    /// @notice Emitted when a relayer withdraws the claim fees credited to it.
    /// @param recipient The fee recipient, who received the fees.
    /// @param amount The fees paid out.
    event FeesWithdrawn(address indexed recipient, uint256 amount);

    /// @notice Raised when `initialize` is called by anyone but the factory, and by any function called on
    /// the implementation itself, which holds no campaign (then `caller` is the implementation's address).
    /// @param caller The account that called.
    error NotFactory(address caller);
    /// @notice Raised when the factory calls `initialize` on a campaign already initialised, or on the
    /// implementation (OpenZeppelin Initializable's error).
    error InvalidInitialization();
    /// @notice Raised when a pledge or donation reaches a campaign its factory did not initialise (a rogue clone).
    error CampaignNotOpen();
    /// @notice Raised during the final lock (after lockStart) on a withdrawal, a higher level or a higher support,
    /// a new pledge with a condition, a changed condition, or a changed level of a pledge with a condition.
    /// @param lockStart pledgeDeadline - finalLock, after which the lock holds.
    error FinalLockActive(uint64 lockStart);
    /// @notice Raised when a pledge or donation arrives after the pledge deadline.
    /// @param deadline The campaign's pledge deadline.
    error PledgeDeadlinePassed(uint64 deadline);
    /// @notice Raised when resolution is attempted before the pledge deadline has passed.
    /// @param deadline The campaign's pledge deadline.
    error PledgeDeadlineNotPassed(uint64 deadline);
    /// @notice Raised when a signature is not a valid ERC-2098 signature with low s.
    error InvalidSignature();
    /// @notice Raised when a signed pledge carries another nonce than the key's next one.
    /// @param pledgeKey The key that signed.
    /// @param expected The key's next nonce.
    /// @param given The nonce the signature carries.
    error InvalidNonce(address pledgeKey, uint32 expected, uint32 given);
    /// @notice Raised when a level index is not in 1..m (or 0 for a withdrawal), or a donation names level 0.
    /// @param level The level given.
    /// @param levels m, the number of levels of the ladder.
    error LevelOutOfRange(uint256 level, uint256 levels);
    /// @notice Raised when a support request exceeds the campaign's cap.
    /// @param support The support requested.
    /// @param cap The campaign's supportCap.
    error SupportAboveCap(uint256 support, uint256 cap);
    /// @notice Raised when a key that has no pledge tries to withdraw it.
    /// @param pledgeKey The key that signed the withdrawal.
    error NotPledged(address pledgeKey);
    /// @notice Raised when the attester's voucher does not match the pledge key.
    /// @param pledgeKey The key the voucher was checked for.
    error InvalidVoucher(address pledgeKey);
    /// @notice Raised when an empty batch is submitted.
    error EmptyBatch();
    /// @notice Raised when packed pledges end in the middle of an item (see "Packed pledges").
    /// @param offset Where the incomplete item starts.
    error MalformedPledges(uint256 offset);
    /// @notice Raised when a pledge names a condition the campaign does not have.
    /// @param condition The condition given.
    /// @param conditions K, the number of conditions of the campaign.
    error ConditionOutOfRange(uint256 condition, uint256 conditions);
    /// @notice Raised when a level's count or amounts would exceed what the campaign can account for.
    /// @param level The level whose tally would overflow.
    error LevelLimitExceeded(uint256 level);
    /// @notice Raised when a donation of zero, or above 2^88 - 1 units, is attempted.
    /// @param amount The amount given.
    error InvalidDonationAmount(uint256 amount);
    /// @notice Raised when the ETH sent does not match the amount (or ETH is sent to a token campaign).
    /// @param sent msg.value.
    /// @param expected The amount for an ETH campaign, 0 for a token campaign.
    error WrongValue(uint256 sent, uint256 expected);
    /// @notice Raised when a permit donation is attempted on an ETH campaign.
    error NotATokenCampaign();
    /// @notice Raised when a token delivered less than the amount sent (fee-on-transfer tokens are refused).
    /// @param expected The amount asked for.
    /// @param received The increase of the campaign's balance.
    error TokenDeliveredLess(uint256 expected, uint256 received);
    /// @notice Raised when someone else than the donor acts on a donation.
    /// @param donationId The donation acted on.
    /// @param caller The account that called.
    error NotDonor(uint256 donationId, address caller);
    /// @notice Raised when a donation does not exist or has been fully paid back.
    /// @param donationId The id given.
    error UnknownDonation(uint256 donationId);
    /// @notice Raised when an action needs the campaign to be resolved first.
    error NotResolved();
    /// @notice Raised when resolve is called a second time.
    error AlreadyResolved();
    /// @notice Raised when a claim is made on a campaign that failed.
    error CampaignFailed();
    /// @notice Raised when the claiming key's pledge does not bind (above the tipping level, a condition the
    /// fund could not meet, or absent).
    /// @param pledgeKey The key that signed the claim.
    error PledgeNotTriggered(address pledgeKey);
    /// @notice Raised when a pledge key claims a second time.
    /// @param pledgeKey The key that signed the claim.
    error AlreadyClaimed(address pledgeKey);
    /// @notice Raised when there is nothing to pay for this claim or donation right now.
    error NothingToClaim();
    /// @notice Raised when a claim arrives after the claim window closed.
    /// @param claimEnd When the claim window closed.
    error ClaimWindowClosed(uint64 claimEnd);
    /// @notice Raised when the oracle may still publish and has not: claims wait for it or its window's end.
    /// @param oracleEnd actionDate + oracleWindow, the end of the oracle's window.
    error ParticipationPending(uint64 oracleEnd);
    /// @notice Raised when the oracle did not publish by the end of its window: no support is paid without proof.
    error ParticipationMissing();
    /// @notice Raised when the Merkle proof does not show the key in the published participation set.
    /// @param pledgeKey The key that signed the claim.
    error NotAParticipant(address pledgeKey);
    /// @notice Raised when a claim's fee exceeds its signed maximum or the claim itself, or has no recipient.
    /// @param fee The fee asked.
    /// @param maxFee The signed maxFee (also raised when the fee exceeds the claim, or has no recipient).
    error FeeTooHigh(uint256 fee, uint256 maxFee);
    /// @notice Raised when a claim names address(0) as payee.
    error ZeroPayee();
    /// @notice Raised when someone else than the participation oracle publishes.
    /// @param caller The account that called.
    error NotOracle(address caller);
    /// @notice Raised when the oracle publishes outside [actionDate, actionDate + oracleWindow].
    /// @param start actionDate, the start of the oracle's window.
    /// @param end actionDate + oracleWindow, its end.
    error OutsideParticipationWindow(uint64 start, uint64 end);
    /// @notice Raised when the oracle publishes twice, or publishes a zero root.
    /// @param root The root given.
    error InvalidParticipationRoot(bytes32 root);

    /// @notice Called once by the factory right after cloning; reverts `NotFactory` for any other caller
    /// and `InvalidInitialization` on a second call or on the implementation itself.
    function initialize() external;

    /// @notice Records one signed pledge (new, changed, or withdrawn with level 0).
    /// @param signed One packed pledge (see "Packed pledges"); anyone may submit it.
    function pledge(bytes calldata signed) external;

    /// @notice Records signed pledges in one transaction; an invalid item is skipped (PledgeSkipped) and the
    /// others land, so no item can block a batch. Reverts only on an empty or malformed batch, after the
    /// deadline, or on a campaign that is not open.
    /// @param batch Packed pledges (see "Packed pledges"); gas per pledge is lower than alone since tallies
    /// are written once.
    function pledgeBatch(bytes calldata batch) external;

    /// @notice Puts `amount` in escrow for `level` (ETH: msg.value must equal amount; ERC-20: by allowance).
    /// @param level The level the donation is conditional on, 1..m: it is triggered if the campaign tips at
    /// or above it.
    /// @param amount The amount, 1 to 2^88 - 1 units of the campaign's token (wei for ETH).
    /// @return donationId The id of the new donation.
    function donate(uint256 level, uint256 amount) external payable returns (uint256 donationId);

    /// @notice As `donate`, after an EIP-2612 permit; a failed permit (e.g. front-run) falls back to the allowance.
    /// @param level As in `donate`.
    /// @param amount As in `donate`; also the permit's value.
    /// @param permitDeadline The permit's deadline.
    /// @param v The permit signature's v.
    /// @param r The permit signature's r.
    /// @param s The permit signature's s.
    /// @return donationId The id of the new donation.
    function donateWithPermit(
        uint256 level,
        uint256 amount,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 donationId);

    /// @notice Takes a donation back in full, by its donor, before the final lock.
    /// @param donationId The donation to take back.
    function withdrawDonation(uint256 donationId) external;

    /// @notice Resolves the campaign after the deadline; anyone may call it. Gas depends on the ladder only.
    function resolve() external;

    /// @notice Pays a triggered beneficiary's support to the payee named in the key's signature.
    /// @param signed The claim and the pledge key's signature; anyone may submit it and collect `fee`.
    /// @return amount The support paid (fee included).
    function claim(SignedClaim calldata signed) external returns (uint256 amount);

    /// @notice Pays a donor what their donation is owed now: a full refund if untriggered or failed,
    /// otherwise the surplus share and, once the claim window has closed, the share of what was left unclaimed.
    /// @param donationId The donation; anyone may call, the donor is paid.
    /// @return amount What was paid.
    function reclaimDonation(uint256 donationId) external returns (uint256 amount);

    /// @notice Publishes the Merkle root of the pledge keys confirmed as having taken part.
    /// @param root The root (OpenZeppelin StandardMerkleTree over ["address"]); only the oracle, once, in its window.
    function publishParticipation(bytes32 root) external;

    /// @notice Withdraws the claim fees credited to the caller.
    /// @return amount The fees paid to the caller.
    function withdrawFees() external returns (uint256 amount);

    /// @notice The campaign's parameters and organiser.
    /// @return params The parameters fixed at creation, read from the clone's bytecode.
    /// @return organiser The account that created the campaign (it holds no power over it).
    function parameters() external view returns (CampaignParams memory params, address organiser);

    /// @notice The campaign's state and resolution.
    /// @return The phase, the resolution's figures and the counters.
    function status() external view returns (Status memory);

    /// @notice Per-level tallies over every condition, index 0 is level 1.
    /// @return counts The pledges at each level.
    /// @return requested The support requested at each level.
    /// @return donated The donations held for each level.
    function levelTallies()
        external
        view
        returns (uint32[] memory counts, uint128[] memory requested, uint128[] memory donated);

    /// @notice The part of the tallies held by pledges with a condition: entry k-1 is condition k (1..K),
    /// index 0 of each is level 1. Condition 0's part is levelTallies() minus these.
    /// @return counts The pledges with condition k at each level.
    /// @return requested Their support requested at each level.
    function conditionTallies() external view returns (uint32[][] memory counts, uint128[][] memory requested);

    /// @notice What a pledge key has recorded.
    /// @param pledgeKey The key.
    /// @return Its level, support, condition, next nonce and whether it has claimed (all zero if it never pledged).
    function pledgeOf(address pledgeKey) external view returns (PledgeRecord memory);

    /// @notice Whether the key's pledge binds: the campaign is resolved, succeeded, and the pledge is in the
    /// bound set (its level is at most j* and its condition is met). False before resolution.
    /// @param pledgeKey The key.
    /// @return True if its holder promised to act and, with support, may claim.
    function isBound(address pledgeKey) external view returns (bool);

    /// @notice A donation (amount 0 once paid back in full).
    /// @param donationId The donation's id.
    /// @return donor The account that made it.
    /// @return level Its level, 1..m.
    /// @return surplusTaken Whether its share of the surplus was paid back.
    /// @return amount What it still holds in escrow.
    function donationOf(
        uint256 donationId
    ) external view returns (address donor, uint8 level, bool surplusTaken, uint256 amount);

    /// @notice What `claim` would do now for this key, and the support concerned (paid now if Due; to be paid
    /// with a proof if NeedsProof; expected if Pending after resolution; paid if Taken; lost if Expired).
    /// @param pledgeKey The key.
    /// @return state What `claim` would do now.
    /// @return amount The support concerned.
    function claimableSupport(address pledgeKey) external view returns (Entitlement state, uint256 amount);

    /// @notice What `reclaimDonation` would do now for this donation, and what it would pay now (Due).
    /// @param donationId The donation's id.
    /// @return state What `reclaimDonation` would do now.
    /// @return amount What it would pay now if Due; the remainder share expected later if Pending after resolution.
    function reclaimable(uint256 donationId) external view returns (Entitlement state, uint256 amount);

    /// @notice Claim fees credited to a relayer and not yet withdrawn.
    /// @param recipient The fee recipient named in claims.
    /// @return The fees it may withdraw.
    function feesOf(address recipient) external view returns (uint256);

    /// @notice End of the oracle's window (0 without oracle) and of the claim window (moved later by a late resolution).
    /// @return oracleEnd actionDate + oracleWindow, or 0 without oracle.
    /// @return claimEnd The last second a claim is accepted.
    function windows() external view returns (uint64 oracleEnd, uint64 claimEnd);

    /// @notice The campaign's history so far, for a replay to reproduce from the logs: `count` history events
    /// (Pledged, PledgeChanged, PledgeWithdrawn, Donated, DonationWithdrawn, in the order they were emitted), and
    /// their running digest. Events that change no tally are not history: a batch's skipped items
    /// (PledgeSkipped), resolution, claims, refunds, fees.
    /// @dev Starting from bytes24(keccak256("Bascule.history")), each history event sets
    /// digest = bytes24(keccak256(abi.encode(digest, topic0, topic1, ..., data words))): its topics and its data
    /// words exactly as the log carries them (docs/verify.md). A log hidden, added, reordered or changed by
    /// an RPC endpoint then gives another count or another digest than the contract's at the same block.
    /// @return count The number of history events so far.
    /// @return digest Their running digest (the genesis value before any).
    function history() external view returns (uint64 count, bytes24 digest);

    /// @notice The EIP-712 domain separator signatures for this campaign are made under.
    /// @return The separator over name "Bascule", version "1", the chain id and this campaign's address.
    function domainSeparator() external view returns (bytes32);
}

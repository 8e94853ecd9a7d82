// SPDX-License-Identifier: AGPL-3.0-or-later
pragma solidity ^0.8.28;

/// @title Bascule campaign: conditional strike pledges and a solidarity escrow
/// @notice One campaign is one address. Its balance is exactly its escrowed funds; its parameters
/// live in its own bytecode (immutable arguments of a minimal clone) and can never change.
/// The mechanism is specified in MECHANISM.md: levels are numbered 1..m as `j` is there, and
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

    /// @notice A pledge signed by its pledge key (EIP-712 `Pledge(uint8 level,uint128 support,uint32 nonce)`).
    /// @dev The key's signature is ERC-2098 compact (r, vs). `voucher` is the attester's voucher on the
    /// EIP-712 digest of `Voucher(address pledgeKey)` under this campaign's domain, checked with
    /// OpenZeppelin SignatureChecker (65-byte r,s,v signature of an account, or whatever the attester
    /// contract accepts through ERC-1271); it is read only on a key's first pledge in a campaign with an
    /// attester, and may be empty otherwise.
    struct SignedPledge {
        uint8 level;
        uint128 support;
        uint32 nonce;
        bytes32 r;
        bytes32 vs;
        bytes voucher;
    }

    /// @notice Why `pledgeBatch` skipped an item (the matching error of `pledge`, without arguments).
    enum SkipReason {
        InvalidSignature,
        InvalidNonce,
        InvalidVoucher,
        LevelOutOfRange,
        SupportAboveCap,
        NotPledged,
        FinalLock,
        LevelLimitExceeded
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
        /// @dev P = C(j*).
        uint48 committed;
        /// @dev F: donations at levels <= j*.
        uint96 triggeredDonations;
        /// @dev R: support requested by pledges at levels <= j*.
        uint96 requestedSupport;
        /// @dev Total of all support claims paid out (fees included).
        uint128 claimedTotal;
        uint64 donationCount;
        bytes32 participationRoot;
        /// @dev When resolve() ran (0 before): the claim window never closes before resolvedAt + claimWindow.
        uint64 resolvedAt;
    }

    /// @notice Emitted when a pledge key pledges for the first time (or again after withdrawing).
    event Pledged(address indexed pledgeKey, uint256 level, uint256 support);
    /// @notice Emitted when a pledge key changes its level or support request.
    event PledgeChanged(address indexed pledgeKey, uint256 level, uint256 support);
    /// @notice Emitted when a pledge key withdraws its pledge.
    event PledgeWithdrawn(address indexed pledgeKey);
    /// @notice Emitted when a donation enters the escrow.
    event Donated(uint256 indexed donationId, address indexed donor, uint256 level, uint256 amount);
    /// @notice Emitted when a donor takes a donation back before the deadline.
    event DonationWithdrawn(uint256 indexed donationId, address indexed donor, uint256 amount);
    /// @notice Emitted when the campaign is resolved; tippingLevel 0 means it failed.
    event CampaignResolved(
        uint256 tippingLevel,
        uint256 committed,
        uint256 triggeredDonations,
        uint256 requestedSupport,
        uint256 paid
    );
    /// @notice Emitted when an untriggered donation (or any donation of a failed campaign) is refunded in full.
    event DonationRefunded(uint256 indexed donationId, address indexed donor, uint256 amount);
    /// @notice Emitted when a triggered donation takes back its share of the surplus F - paid.
    event SurplusReturned(uint256 indexed donationId, address indexed donor, uint256 amount);
    /// @notice Emitted when a triggered donation takes back its share of the support left unclaimed.
    event RemainderReturned(uint256 indexed donationId, address indexed donor, uint256 amount);
    /// @notice Emitted when a beneficiary's support is paid; `fee` of `amount` is credited to the fee recipient.
    event SupportClaimed(address indexed pledgeKey, address indexed payee, uint256 amount, uint256 fee);
    /// @notice Emitted when the participation oracle publishes the Merkle root of participating pledge keys.
    event ParticipationPublished(bytes32 root);
    /// @notice Emitted when `pledgeBatch` skips an invalid item; pledgeKey is address(0) if the signature does not recover.
    event PledgeSkipped(uint256 indexed index, address indexed pledgeKey, SkipReason reason);
    /// @notice Emitted when a relayer withdraws the claim fees credited to it.
    event FeesWithdrawn(address indexed recipient, uint256 amount);

    /// @notice Raised when `initialize` is called by anyone but the factory, or twice.
    error NotFactory(address caller);
    /// @notice Raised when a pledge or donation reaches a campaign its factory did not initialise (a rogue clone).
    error CampaignNotOpen();
    /// @notice Raised during the final lock (after lockStart) on a withdrawal, a higher level or a higher support.
    error FinalLockActive(uint64 lockStart);
    /// @notice Raised when a pledge or donation arrives after the pledge deadline.
    error PledgeDeadlinePassed(uint64 deadline);
    /// @notice Raised when resolution is attempted before the pledge deadline has passed.
    error PledgeDeadlineNotPassed(uint64 deadline);
    /// @notice Raised when a signature is not a valid ERC-2098 signature with low s.
    error InvalidSignature();
    /// @notice Raised when a signed pledge carries another nonce than the key's next one.
    error InvalidNonce(address pledgeKey, uint32 expected, uint32 given);
    /// @notice Raised when a level index is not in 1..m (or 0 for a withdrawal), or a donation names level 0.
    error LevelOutOfRange(uint256 level, uint256 levels);
    /// @notice Raised when a support request exceeds the campaign's cap.
    error SupportAboveCap(uint256 support, uint256 cap);
    /// @notice Raised when a key that has no pledge tries to withdraw it.
    error NotPledged(address pledgeKey);
    /// @notice Raised when the attester's voucher does not match the pledge key.
    error InvalidVoucher(address pledgeKey);
    /// @notice Raised when an empty batch is submitted.
    error EmptyBatch();
    /// @notice Raised when a level's count or amounts would exceed what the campaign can account for.
    error LevelLimitExceeded(uint256 level);
    /// @notice Raised when a donation of zero, or above 2^88 - 1 units, is attempted.
    error InvalidDonationAmount(uint256 amount);
    /// @notice Raised when the ETH sent does not match the amount (or ETH is sent to a token campaign).
    error WrongValue(uint256 sent, uint256 expected);
    /// @notice Raised when a permit donation is attempted on an ETH campaign.
    error NotATokenCampaign();
    /// @notice Raised when a token delivered less than the amount sent (fee-on-transfer tokens are refused).
    error TokenDeliveredLess(uint256 expected, uint256 received);
    /// @notice Raised when someone else than the donor acts on a donation.
    error NotDonor(uint256 donationId, address caller);
    /// @notice Raised when a donation does not exist or has been fully paid back.
    error UnknownDonation(uint256 donationId);
    /// @notice Raised when an action needs the campaign to be resolved first.
    error NotResolved();
    /// @notice Raised when resolve is called a second time.
    error AlreadyResolved();
    /// @notice Raised when a claim is made on a campaign that failed.
    error CampaignFailed();
    /// @notice Raised when the claiming key's pledge is above the tipping level (or absent).
    error PledgeNotTriggered(address pledgeKey);
    /// @notice Raised when a pledge key claims a second time.
    error AlreadyClaimed(address pledgeKey);
    /// @notice Raised when there is nothing to pay for this claim or donation right now.
    error NothingToClaim();
    /// @notice Raised when a claim arrives after the claim window closed.
    error ClaimWindowClosed(uint64 claimEnd);
    /// @notice Raised when the oracle may still publish and has not: claims wait for it or its window's end.
    error ParticipationPending(uint64 oracleEnd);
    /// @notice Raised when the oracle did not publish by the end of its window: no support is paid without proof.
    error ParticipationMissing();
    /// @notice Raised when the Merkle proof does not show the key in the published participation set.
    error NotAParticipant(address pledgeKey);
    /// @notice Raised when a claim's fee exceeds its signed maximum or the claim itself.
    error FeeTooHigh(uint256 fee, uint256 maxFee);
    /// @notice Raised when a claim names address(0) as payee.
    error ZeroPayee();
    /// @notice Raised when someone else than the participation oracle publishes.
    error NotOracle(address caller);
    /// @notice Raised when the oracle publishes outside [actionDate, actionDate + oracleWindow].
    error OutsideParticipationWindow(uint64 start, uint64 end);
    /// @notice Raised when the oracle publishes twice, or publishes a zero root.
    error InvalidParticipationRoot(bytes32 root);

    /// @notice Called once by the factory right after cloning.
    function initialize() external;

    /// @notice Records one signed pledge (new, changed, or withdrawn with level 0).
    /// @param signed The pledge and its signature; anyone may submit it.
    function pledge(SignedPledge calldata signed) external;

    /// @notice Records signed pledges in one transaction; an invalid item is skipped (PledgeSkipped) and the
    /// others land, so no item can block a batch. Reverts only on an empty batch, after the deadline, or on
    /// a campaign that is not open.
    /// @param batch The pledges; gas per pledge is lower than alone since tallies are written once.
    function pledgeBatch(SignedPledge[] calldata batch) external;

    /// @notice Puts `amount` in escrow for `level` (ETH: msg.value must equal amount; ERC-20: by allowance).
    /// @return donationId The id of the new donation.
    function donate(uint256 level, uint256 amount) external payable returns (uint256 donationId);

    /// @notice As `donate`, after an EIP-2612 permit; a failed permit (e.g. front-run) falls back to the allowance.
    function donateWithPermit(
        uint256 level,
        uint256 amount,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 donationId);

    /// @notice Takes a donation back in full, by its donor, before the final lock.
    function withdrawDonation(uint256 donationId) external;

    /// @notice Resolves the campaign after the deadline; anyone may call it. Gas depends on the ladder only.
    function resolve() external;

    /// @notice Pays a triggered beneficiary's support to the payee named in the key's signature.
    /// @return amount The support paid (fee included).
    function claim(SignedClaim calldata signed) external returns (uint256 amount);

    /// @notice Pays a donor what their donation is owed now: a full refund if untriggered or failed,
    /// otherwise the surplus share and, once the claim window has closed, the share of what was left unclaimed.
    /// @return amount What was paid.
    function reclaimDonation(uint256 donationId) external returns (uint256 amount);

    /// @notice Publishes the Merkle root of the pledge keys confirmed as having taken part.
    function publishParticipation(bytes32 root) external;

    /// @notice Withdraws the claim fees credited to the caller.
    function withdrawFees() external returns (uint256 amount);

    /// @notice The campaign's parameters and organiser.
    function parameters() external view returns (CampaignParams memory params, address organiser);

    /// @notice The campaign's state and resolution.
    function status() external view returns (Status memory);

    /// @notice Per-level tallies, index 0 is level 1.
    function levelTallies()
        external
        view
        returns (uint32[] memory counts, uint128[] memory requested, uint128[] memory donated);

    /// @notice What a pledge key has recorded.
    function pledgeOf(address pledgeKey) external view returns (PledgeRecord memory);

    /// @notice A donation (amount 0 once paid back in full).
    function donationOf(
        uint256 donationId
    ) external view returns (address donor, uint8 level, bool surplusTaken, uint256 amount);

    /// @notice What `claim` would do now for this key, and the support concerned (paid now if Due; to be paid
    /// with a proof if NeedsProof; expected if Pending after resolution; paid if Taken; lost if Expired).
    function claimableSupport(address pledgeKey) external view returns (Entitlement state, uint256 amount);

    /// @notice What `reclaimDonation` would do now for this donation, and what it would pay now (Due).
    function reclaimable(uint256 donationId) external view returns (Entitlement state, uint256 amount);

    /// @notice Claim fees credited to a relayer and not yet withdrawn.
    function feesOf(address recipient) external view returns (uint256);

    /// @notice End of the oracle's window (0 without oracle) and of the claim window (moved later by a late resolution).
    function windows() external view returns (uint64 oracleEnd, uint64 claimEnd);

    /// @notice The EIP-712 domain separator signatures for this campaign are made under.
    function domainSeparator() external view returns (bytes32);
}

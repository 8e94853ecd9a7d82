// SPDX-License-Identifier: AGPL-3.0-or-later
pragma solidity ^0.8.28;

import {ICampaign} from "../interfaces/ICampaign.sol";

/// @notice A donor/payee contract that tries to re-enter the campaign when it receives ETH.
contract ReentrantReceiver {
    ICampaign public immutable campaign;
    bytes public reentry;
    bool public reentered;
    bool public reentrySucceeded;

    constructor(ICampaign campaign_) {
        campaign = campaign_;
    }

    function setReentry(bytes calldata data) external {
        reentry = data;
    }

    function donate(uint256 level) external payable returns (uint256) {
        return campaign.donate{value: msg.value}(level, msg.value);
    }

    function call(bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory ret) = address(campaign).call(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }

    receive() external payable {
        if (reentry.length != 0 && !reentered) {
            reentered = true;
            (bool ok, ) = address(campaign).call(reentry);
            reentrySucceeded = ok;
        }
    }
}

/// @notice Refuses every ETH transfer.
contract RejectingReceiver {
    function donate(ICampaign campaign, uint256 level) external payable returns (uint256) {
        return campaign.donate{value: msg.value}(level, msg.value);
    }
}

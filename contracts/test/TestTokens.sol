// SPDX-License-Identifier: AGPL-3.0-or-later
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @notice A stablecoin stand-in with EIP-2612 permit (6 decimals, like USDC).
contract TestStablecoin is ERC20Permit {
    constructor() ERC20("Test Euro", "tEUR") ERC20Permit("Test Euro") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}

/// @notice Keeps 1% of every transfer: Bascule must refuse it.
contract FeeOnTransferToken is ERC20 {
    constructor() ERC20("Fee Token", "FEE") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = value / 100;
            super._update(from, address(0), fee);
            value -= fee;
        }
        super._update(from, to, value);
    }
}

/// @notice A token whose transfers can be made to revert (a frozen or paused token).
contract RevertingToken is ERC20 {
    bool public frozen;

    error Frozen();

    constructor() ERC20("Frozen Token", "FRZ") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setFrozen(bool value) external {
        frozen = value;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (frozen) revert Frozen();
        super._update(from, to, value);
    }
}

/// @notice A USDT-like token: transfer and transferFrom return nothing.
contract NoReturnToken {
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
    }

    function approve(address spender, uint256 amount) external {
        allowance[msg.sender][spender] = amount;
    }

    function transfer(address to, uint256 amount) external {
        require(balanceOf[msg.sender] >= amount, "balance");
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
    }

    function transferFrom(address from, address to, uint256 amount) external {
        require(balanceOf[from] >= amount && allowance[from][msg.sender] >= amount, "allowance");
        allowance[from][msg.sender] -= amount;
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
    }
}

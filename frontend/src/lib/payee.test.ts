import { zeroAddress } from "viem";
import { describe, expect, it } from "vitest";
import { payeeProblem } from "./payee.ts";

const known = {
  campaign: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  factory: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  token: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
  pledgeKey: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
} as const;
const wallet = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

describe("payeeProblem", () => {
  it("lets a wallet's address through, and says nothing while the field is empty", () => {
    expect(payeeProblem(wallet, known)).toBeNull();
    expect(payeeProblem(wallet.toLowerCase(), known)).toBeNull();
    expect(payeeProblem("", known)).toBeNull();
    expect(payeeProblem("  ", known)).toBeNull();
  });

  it("refuses what is not an address", () => {
    expect(payeeProblem("0x1234", known)).toBe("errors.address");
    expect(payeeProblem("my wallet", known)).toBe("errors.address");
  });

  it("refuses address zero and the burn address, where the support would be burnt", () => {
    expect(payeeProblem(zeroAddress, known)).toBe("errors.payeeZero");
    expect(payeeProblem("0x000000000000000000000000000000000000dead", known)).toBe("errors.payeeZero");
  });

  it("refuses the campaign and the factory, in any case", () => {
    expect(payeeProblem(known.campaign, known)).toBe("errors.payeeCampaign");
    expect(payeeProblem(known.campaign.toLowerCase(), known)).toBe("errors.payeeCampaign");
    expect(payeeProblem(known.factory, known)).toBe("errors.payeeCampaign");
    // a mixed-case address whose checksum is wrong is a typo, not the factory
    expect(payeeProblem(known.factory.replace("e7f1", "E7f1"), known)).toBe("errors.address");
  });

  it("refuses the campaign's token contract, and the receipt's own pledge key", () => {
    expect(payeeProblem(known.token, known)).toBe("errors.payeeToken");
    expect(payeeProblem(known.pledgeKey, known)).toBe("errors.payeePledgeKey");
  });

  it("in an ETH campaign (token address zero) refuses zero as burnt, not as the token", () => {
    expect(payeeProblem(zeroAddress, { ...known, token: zeroAddress })).toBe("errors.payeeZero");
    expect(payeeProblem(wallet, { ...known, token: zeroAddress })).toBeNull();
  });
});

import { type Address, getAddress, isAddress, zeroAddress } from "viem";

/** The burn address many tools use: what is sent there is lost like at address zero. */
const DEAD: Address = "0x000000000000000000000000000000000000dEaD";

/** Why an address typed as a claim's payee would lose the support, as a message id (null: none seen). */
export type PayeeProblem =
  "errors.address" | "errors.payeeZero" | "errors.payeeCampaign" | "errors.payeeToken" | "errors.payeePledgeKey";

/**
 * What is wrong with a payee typed in the claim form, before anything is signed: not an address,
 * address zero or the burn address (the support would be burnt; the contract refuses only zero),
 * the campaign or the factory (a Bascule contract cannot spend what it is paid outside its
 * accounting), the campaign's token (tokens sent to their own contract are lost), or the receipt's
 * pledge key (not a wallet the person holds: only this receipt could ever spend it). An empty field is
 * not a problem yet.
 * @example payeeProblem("0x0000000000000000000000000000000000000000", known) // "errors.payeeZero"
 */
export function payeeProblem(
  payee: string,
  known: { campaign: Address; factory: Address; token: Address; pledgeKey: Address },
): PayeeProblem | null {
  const text = payee.trim();
  if (text === "") return null;
  if (!isAddress(text)) return "errors.address";
  const a = getAddress(text);
  if (a === zeroAddress || a === DEAD) return "errors.payeeZero";
  if (a === getAddress(known.campaign) || a === getAddress(known.factory)) return "errors.payeeCampaign";
  if (known.token !== zeroAddress && a === getAddress(known.token)) return "errors.payeeToken";
  if (a === getAddress(known.pledgeKey)) return "errors.payeePledgeKey";
  return null;
}

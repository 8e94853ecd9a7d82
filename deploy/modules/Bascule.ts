/**
 * Module `Bascule`: everything a chain needs to host campaigns. Today that is the factory and its
 * implementation (module `CampaignFactory`); later concerns (e.g. a union's voucher verifier) get
 * their own module, used here.
 *
 *   npm run deploy                                     # a local node, state kept in memory
 *   npx hardhat ignition deploy deploy/modules/Bascule.ts --strategy create2 --network sepolia
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import CampaignFactoryModule from "./CampaignFactory.js";

export default buildModule("Bascule", (m) => {
  const { factory, implementation } = m.useModule(CampaignFactoryModule);
  return { factory, implementation };
});

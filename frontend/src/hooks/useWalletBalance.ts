import { useQuery } from "@tanstack/react-query";
import { type Address, zeroAddress } from "viem";
import { erc20PermitAbi } from "@bascule/core/generated/abis";
import { useApp } from "./app.tsx";

/**
 * What `owner` holds of the campaign's currency (ETH when `token` is address zero), read from the
 * chain; read again after each of the wallet's writes (useWalletWrite invalidates every query).
 */
export function useWalletBalance(token: Address, owner: Address | undefined) {
  const { client } = useApp();
  return useQuery({
    queryKey: ["balance", token, owner],
    enabled: !!owner,
    queryFn: () =>
      token === zeroAddress
        ? client.getBalance({ address: owner! })
        : client.readContract({ address: token, abi: erc20PermitAbi, functionName: "balanceOf", args: [owner!] }),
  });
}

import { useQuery } from "@tanstack/react-query";
import { type Address, isAddress } from "viem";
import { erc20PermitAbi } from "@bascule/core/generated/abis";
import { useApp } from "./app.tsx";

/** An ERC-20 token's decimals and symbol, read in one call once `token` is an address. */
export function useTokenInfo(token: string) {
  const { client } = useApp();
  return useQuery({
    queryKey: ["token-meta", token],
    enabled: isAddress(token),
    retry: false,
    queryFn: async () => {
      const [decimals, symbol] = await client.multicall({
        contracts: [
          { address: token as Address, abi: erc20PermitAbi, functionName: "decimals" },
          { address: token as Address, abi: erc20PermitAbi, functionName: "symbol" },
        ],
        allowFailure: false,
        deployless: true,
      });
      return { decimals, symbol };
    },
  });
}

import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import type { Abi, Address, ContractFunctionArgs, ContractFunctionName, Hex } from "viem";
import { useAccount, useConfig } from "wagmi";
import { getAccount, signTypedData, switchChain, writeContract } from "wagmi/actions";
import { AppError, WrongNetworkError } from "../lib/errors.ts";
import { useApp } from "./app.tsx";

/**
 * Sends a contract call from the connected wallet on the campaign's chain (switching the wallet's
 * network first if needed), waits for it, and refreshes what it changed.
 */
export function useWalletWrite() {
  const wagmiConfig = useConfig();
  const { client, config } = useApp();
  const queryClient = useQueryClient();
  const { address, isConnected } = useAccount();

  const ensureChain = useCallback(async () => {
    const account = getAccount(wagmiConfig);
    if (account.chainId !== config.chainId) {
      try {
        await switchChain(wagmiConfig, { chainId: config.chainId });
      } catch {
        throw new WrongNetworkError("wrong network");
      }
    }
  }, [wagmiConfig, config.chainId]);

  const write = useCallback(
    async <const abi extends Abi, name extends ContractFunctionName<abi, "nonpayable" | "payable">>(request: {
      address: Address;
      abi: abi;
      functionName: name;
      args: ContractFunctionArgs<abi, "nonpayable" | "payable", name>;
      value?: bigint;
    }): Promise<Hex> => {
      await ensureChain();
      // Simulate first: a revert gives its custom error (deadline passed, …) before the wallet opens.
      const account = getAccount(wagmiConfig).address!;
      await client.simulateContract({ ...request, account } as never);
      const hash = await writeContract(wagmiConfig, { ...request, chainId: config.chainId } as never);
      const receipt = await client.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new AppError("contract");
      await queryClient.invalidateQueries();
      return hash;
    },
    [wagmiConfig, client, config.chainId, ensureChain, queryClient],
  );

  const signTyped = useCallback(
    async (data: Parameters<typeof signTypedData>[1]) => {
      await ensureChain();
      return signTypedData(wagmiConfig, data);
    },
    [wagmiConfig, ensureChain],
  );

  return { write, signTyped, address, isConnected };
}

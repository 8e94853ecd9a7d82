import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { readCodeFacts } from "@bascule/core/code-facts";
import { useApp } from "./app.tsx";

/** The three facts about a campaign's code (read once: code never changes). */
export function useCodeFacts(campaign: Address) {
  const { client, config } = useApp();
  return useQuery({
    queryKey: ["code-facts", config.factory, campaign],
    queryFn: () => readCodeFacts(client, { factory: config.factory, campaign }),
    staleTime: Infinity,
  });
}

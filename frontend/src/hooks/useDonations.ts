import { useQuery } from "@tanstack/react-query";
import { useCallback } from "react";
import {
  type Address,
  decodeEventLog,
  getAbiItem,
  type Hex,
  pad,
  parseSignature,
  type PublicClient,
  toEventSelector,
  zeroAddress,
} from "viem";
import { campaignAbi, erc20PermitAbi } from "@bascule/core/generated/abis";
import { readLogs, sizerFor } from "@bascule/core/logs";
import { Entitlement } from "@bascule/core/model";
import { permitTypedData } from "@bascule/core/signing";
import { AppError } from "../lib/errors.ts";
import type { CampaignLive, CampaignStatic } from "../lib/types.ts";
import { useApp } from "./app.tsx";
import { useWalletWrite } from "./useWallet.ts";

/** One of a donor's donations, as the donor's panel lists it. */
export interface MyDonation {
  id: bigint;
  /** The level and amount as given (`donationOf` zeroes them once a donation is fully paid back). */
  level: number;
  given: bigint;
  surplusTaken: boolean;
  /** What the escrow still holds of it. */
  amount: bigint;
  /** What `reclaimDonation` pays now (0 unless its entitlement is Due). */
  reclaimable: bigint;
  withdrawn: boolean;
}

const DONATED = toEventSelector(getAbiItem({ abi: campaignAbi, name: "Donated" }));
const WITHDRAWN = toEventSelector(getAbiItem({ abi: campaignAbi, name: "DonationWithdrawn" }));

/**
 * A donor's donations to a campaign: its Donated and DonationWithdrawn logs from the campaign's
 * creation block (paged under the endpoint's limits), then each donation's state in one multicall.
 */
export async function readMyDonations(client: PublicClient, s: CampaignStatic, donor: Address): Promise<MyDonation[]> {
  const donorTopic = pad(donor, { size: 32 }).toLowerCase() as Hex;
  const { logs: raw } = await readLogs({
    client,
    address: s.address,
    topics: [DONATED, null, donorTopic],
    fromBlock: s.createdAt,
    sizer: sizerFor(client),
  });
  const logs = raw.map((l) =>
    decodeEventLog({ abi: campaignAbi, eventName: "Donated", data: l.data, topics: l.topics as [Hex, ...Hex[]] }),
  );
  const ids = logs.map((l) => l.args.donationId!);
  if (ids.length === 0) return [];
  // Its withdrawals too, so a withdrawn donation says so.
  const { logs: withdrawals } = await readLogs({
    client,
    address: s.address,
    topics: [WITHDRAWN, null, donorTopic],
    fromBlock: s.createdAt,
    sizer: sizerFor(client),
  });
  const withdrawn = new Set(
    withdrawals.map(
      (l) =>
        decodeEventLog({
          abi: campaignAbi,
          eventName: "DonationWithdrawn",
          data: l.data,
          topics: l.topics as [Hex, ...Hex[]],
        }).args.donationId,
    ),
  );
  const given = new Map(logs.map((l) => [l.args.donationId!, { level: Number(l.args.level), amount: l.args.amount! }]));
  const reads = await client.multicall({
    contracts: ids.flatMap((id) => [
      { address: s.address, abi: campaignAbi, functionName: "donationOf", args: [id] } as const,
      { address: s.address, abi: campaignAbi, functionName: "reclaimable", args: [id] } as const,
    ]),
    allowFailure: true,
    deployless: true,
  });
  return ids.map((id, i) => {
    const d = reads[2 * i].result as readonly [Address, number, boolean, bigint] | undefined;
    // (Entitlement, amount): only a Due entitlement pays now.
    const entitlement = reads[2 * i + 1].result as readonly [number, bigint] | undefined;
    const reclaimable = entitlement?.[0] === Entitlement.Due ? entitlement[1] : 0n;
    const g = given.get(id)!;
    return {
      id,
      level: g.level,
      given: g.amount,
      surplusTaken: d?.[2] ?? false,
      amount: d?.[3] ?? 0n,
      reclaimable,
      withdrawn: withdrawn.has(id),
    };
  });
}

/**
 * The connected donor's donations, read again whenever the campaign's donations or claims change,
 * and what the donor may do with one (withdraw while open, reclaim once resolved).
 */
export function useMyDonations(s: CampaignStatic, live: CampaignLive, donor: Address) {
  const { client } = useApp();
  const { write } = useWalletWrite();
  const donations = useQuery({
    queryKey: [
      "my-donations",
      s.address,
      donor,
      live.phase,
      live.donationCount.toString(),
      live.claimedTotal.toString(),
    ],
    // Keeps this donor's list shown while someone else's donation changes the key; never another donor's.
    placeholderData: (previous, query) =>
      query?.queryKey[1] === s.address && query.queryKey[2] === donor ? previous : undefined,
    queryFn: () => readMyDonations(client, s, donor),
  });
  const { refetch } = donations;
  const act = useCallback(
    async (fn: "withdrawDonation" | "reclaimDonation", id: bigint) => {
      await write({ address: s.address, abi: campaignAbi, functionName: fn, args: [id] });
      await refetch();
    },
    [write, s.address, refetch],
  );
  return { donations: donations.data ?? [], act };
}

/**
 * Donating from the connected wallet: ETH with the call, or the campaign's token with an EIP-2612
 * permit signed first (the token's EIP-712 domain per EIP-5267, or its name and version "1" for
 * older permit tokens). Resolves to the transaction's hash.
 */
export function useDonate(s: CampaignStatic, live: CampaignLive) {
  const { client, config } = useApp();
  const { write, signTyped, address, isConnected } = useWalletWrite();
  const donate = useCallback(
    async (level: number, amount: bigint): Promise<Hex> => {
      if (s.token.address === zeroAddress) {
        return write({
          address: s.address,
          abi: campaignAbi,
          functionName: "donate",
          args: [BigInt(level), amount],
          value: amount,
        });
      }
      const owner = address!;
      const [domainRead, nonceRead, nameRead] = await client.multicall({
        contracts: [
          { address: s.token.address, abi: erc20PermitAbi, functionName: "eip712Domain" },
          { address: s.token.address, abi: erc20PermitAbi, functionName: "nonces", args: [owner] },
          { address: s.token.address, abi: erc20PermitAbi, functionName: "name" },
        ],
        allowFailure: true,
        deployless: true,
      });
      if (nonceRead.status !== "success") throw new AppError("noPermit");
      const nonce = nonceRead.result;
      const domain =
        domainRead.status === "success"
          ? domainRead.result
          : (["0x0f", nameRead.result ?? "", "1", BigInt(config.chainId), s.token.address] as const);
      const deadline = BigInt(Math.floor(Date.now() / 1000) + live.chainOffset + 3600);
      const signature = await signTyped(
        permitTypedData(
          { name: domain[1], version: domain[2], chainId: domain[3], verifyingContract: domain[4] },
          { owner, spender: s.address, value: amount, nonce, deadline },
        ),
      );
      const sig = parseSignature(signature);
      return write({
        address: s.address,
        abi: campaignAbi,
        functionName: "donateWithPermit",
        args: [BigInt(level), amount, deadline, Number(sig.v ?? 27n), sig.r, sig.s],
      });
    },
    [client, config.chainId, write, signTyped, address, s.address, s.token.address, live.chainOffset],
  );
  return { donate, isConnected, address };
}

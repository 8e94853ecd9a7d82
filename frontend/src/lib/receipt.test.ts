import { describe, expect, it } from "vitest";
import { generatePrivateKey } from "viem/accounts";
import { parseReceiptFile, parseReceiptRoute, receiptFile, receiptLink } from "./receipt.ts";

const campaign = "0xd9992E703aa4Ac06E53a2af03D0c45AB536e0A83" as const;

describe("receipt", () => {
  it("keeps the pledge key in the URL fragment only, never in the query string", () => {
    const key = generatePrivateKey();
    const link = receiptLink("https://bascule.example/app/?utm=x#/c/whatever", { chainId: 10, campaign, key });
    const url = new URL(link);
    expect(url.search).toBe("");
    expect(url.pathname).toBe("/app/");
    expect(url.hash).toBe(`#/r/10/${campaign}/${key}`);
    expect(link.split("#")[0]).not.toContain(key.slice(2));
  });

  it("reads back the receipt from its route", () => {
    const key = generatePrivateKey();
    expect(parseReceiptRoute(`/r/31337/${campaign}/${key}`)).toEqual({ chainId: 31337, campaign, key });
  });

  it("refuses malformed routes and keys", () => {
    expect(parseReceiptRoute(`/r/1/${campaign}/0x1234`)).toBeNull();
    expect(parseReceiptRoute(`/r/x/${campaign}/${generatePrivateKey()}`)).toBeNull();
    expect(parseReceiptRoute(`/r/1/0x12/${generatePrivateKey()}`)).toBeNull();
    // zero is not a valid secp256k1 private key
    expect(parseReceiptRoute(`/r/1/${campaign}/0x${"00".repeat(32)}`)).toBeNull();
  });

  it("round-trips through the receipt file, which warns in both languages", () => {
    const r = { chainId: 1, campaign, key: generatePrivateKey() };
    const text = receiptFile("https://x.example/#/r", r);
    expect(text).toMatch(/only key to your pledge/);
    expect(text).toMatch(/seule clé de votre engagement/);
    expect(parseReceiptFile(text)).toEqual(r);
    expect(parseReceiptFile("not json")).toBeNull();
  });
});

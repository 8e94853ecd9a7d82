import { keccak256, toHex } from "viem";
import { describe, expect, it } from "vitest";
import { METADATA_LIMITS, parseMetadata, readMetadata } from "@bascule/core/metadata";
import { loadMetadata } from "./metadata.ts";

const bytes = (json: string) => new TextEncoder().encode(json);
const read = (doc: unknown) => readMetadata(bytes(JSON.stringify(doc)));
const good = { title: "Grève", text: "Le 1er mai", actionDate: "2027-05-01", place: "Lyon", languages: ["fr"] };

describe("readMetadata: a campaign's description checked against its schema", () => {
  it("keeps a well-formed description whole", () => {
    expect(read(good)).toEqual({ doc: good, omitted: [], raw: good });
  });

  it("leaves out, and names, every field that is not what it must be", () => {
    const r = read({
      title: { $$typeof: "react.element", props: {} },
      text: ["a", "b"],
      actionDate: "1er mai",
      place: 75001,
      languages: "fr",
    });
    expect(r.doc).toEqual({});
    expect(r.omitted).toEqual(["title", "text", "actionDate", "place", "languages"]);
  });

  it("refuses strings beyond their bound and keeps the other fields", () => {
    const r = read({ ...good, title: "x".repeat(METADATA_LIMITS.title + 1), text: "y".repeat(METADATA_LIMITS.text) });
    expect(r.doc).toEqual({ ...good, title: undefined, text: "y".repeat(METADATA_LIMITS.text) });
    expect(r.doc).not.toHaveProperty("title");
    expect(r.omitted).toEqual(["title"]);
  });

  it("refuses numbers, booleans and null where a string or a list of strings must be", () => {
    for (const value of [0, 1e308, -1, true, null, {}, []]) {
      const r = read({ title: value, place: "Lyon" });
      expect(r.doc, JSON.stringify(value)).toEqual({ place: "Lyon" });
      expect(r.omitted).toEqual(["title"]);
    }
    expect(read({ languages: ["fr", 2] }).omitted).toEqual(["languages"]);
    expect(read({ languages: Array(METADATA_LIMITS.languages + 1).fill("fr") }).omitted).toEqual(["languages"]);
  });

  it("reads nothing from a document that is not a JSON object, or is too long", () => {
    const none = { doc: null, omitted: [], raw: null };
    for (const json of ["[1,2]", '"Grève"', "42", "null", "true", "{", ""])
      expect(readMetadata(bytes(json))).toEqual(none);
    const huge = JSON.stringify({ title: "t", text: "x".repeat(METADATA_LIMITS.bytes) });
    expect(readMetadata(bytes(huge))).toEqual(none);
    // 100,000 nested arrays: JSON.parse gives up or parses, nothing throws out of readMetadata
    expect(readMetadata(bytes("[".repeat(100_000) + "]".repeat(100_000)))).toEqual(none);
  });

  it("ignores what an object inherits and takes `__proto__` as a plain key", () => {
    const r = readMetadata(bytes('{"__proto__":{"title":"injected"},"place":"Lyon"}'));
    expect(r.doc).toEqual({ place: "Lyon" });
    expect(r.omitted).toEqual([]);
  });

  it("parseMetadata gives the unchecked object, for readers that check each field themselves", () => {
    expect(parseMetadata(bytes('{"title":{"a":1}}'))).toEqual({ title: { a: 1 } });
    expect(parseMetadata(bytes("[1]"))).toBeNull();
  });
});

describe("loadMetadata", () => {
  it("checks the fields of a data: URI's document and its hash", async () => {
    const json = JSON.stringify({ title: 42, place: "Lyon" });
    const uri = `data:application/json,${encodeURIComponent(json)}`;
    const r = await loadMetadata(uri, keccak256(toHex(json)));
    expect(r).toMatchObject({ doc: { place: "Lyon" }, omitted: ["title"], check: "ok" });
  });
});

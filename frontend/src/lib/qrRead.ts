/**
 * Reads a QR code from a camera frame, with ZXing-C++ compiled to WebAssembly (zxing-wasm).
 *
 * Not @zxing/library (the JavaScript port): on clean, synthetic attendance codes it failed on about
 * one in ten (30 of 300, each frame perfect and identical), so a scanner pointed at such a code never
 * read it; ZXing-C++ read all 300 (see qrRead.test.ts). The .wasm is served from this site, never a
 * CDN: zxing-wasm fetches it from jsDelivr unless told otherwise, and no request may leave the site.
 * This module is loaded only by the check-in page.
 */
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader";
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";

/** Pixels as a canvas gives them (RGBA). */
export interface Frame {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** Served from this site: the URL vite gives the bundled file, resolved against the page. */
const FROM_THIS_SITE = {
  locateFile: (file: string, prefix: string) =>
    file.endsWith(".wasm") ? new URL(wasmUrl, document.baseURI).href : prefix + file,
};
let overrides: typeof FROM_THIS_SITE | { wasmBinary: ArrayBuffer } = FROM_THIS_SITE;
let loaded: Promise<unknown> | null = null;

/** Where the WebAssembly comes from; a test passes the bytes. Call before the first `readQr`. */
export function prepareQrReader(wasm?: { wasmBinary: ArrayBuffer }) {
  overrides = wasm ?? FROM_THIS_SITE;
  loaded = null;
}

/**
 * Fetches and compiles the reader now (the check-in page does so on opening, so the service worker
 * keeps it for a check-in without a connection). Rejects if it cannot be had; a later call tries again.
 */
export function loadQrReader(): Promise<unknown> {
  loaded ??= (
    prepareZXingModule({ overrides, fireImmediately: true, equalityFn: () => false }) as Promise<unknown>
  ).catch((e: unknown) => {
    loaded = null;
    throw e;
  });
  return loaded;
}

/** The text of the QR code in this frame, or null if none could be read. */
export async function readQr(frame: Frame): Promise<string | null> {
  await loadQrReader();
  // zxing-wasm takes any { data, width, height } as pixels (a test has no ImageData constructor).
  const image = { data: frame.data, width: frame.width, height: frame.height, colorSpace: "srgb" } as ImageData;
  const [result] = await readBarcodes(image, { formats: ["QRCode"], tryHarder: true, maxNumberOfSymbols: 1 });
  return result?.isValid ? result.text : null;
}

// @vitest-environment node
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import QRCode from "qrcode";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { beforeAll, describe, expect, it } from "vitest";
import { type Frame, loadQrReader, prepareQrReader, readQr } from "./qrRead.ts";
import { attendanceCode } from "./union.ts";

const require = createRequire(import.meta.url);
const CAMPAIGN = "0x4194c33F858084D5f60e906A418F0D4CD96d0190";

/**
 * A 640×480 camera frame of a QR code as the receipt shows it (level M, a one-module margin, on
 * the page's white), `px` pixels per module, dark 16 and light 235 as a camera's video range gives.
 */
function frame(text: string, px: number, width = 640, height = 480): Frame {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const x0 = Math.floor((width - n * px) / 2);
  const y0 = Math.floor((height - n * px) / 2);
  const data = new Uint8ClampedArray(width * height * 4).fill(235);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, c] = [Math.floor((y - y0) / px), Math.floor((x - x0) / px)];
      const dark = r >= 0 && c >= 0 && r < n && c < n && qr.modules.get(r, c);
      const i = 4 * (y * width + x);
      if (dark) data[i] = data[i + 1] = data[i + 2] = 16;
      data[i + 3] = 255;
    }
  }
  return { data, width, height };
}

function readerBytes(): ArrayBuffer {
  const wasm = readFileSync(require.resolve("zxing-wasm/reader/zxing_reader.wasm"));
  return wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer;
}

describe("loading the QR reader", () => {
  it("rejects when the reader cannot be had (offline, never fetched), and a later call tries again", async () => {
    prepareQrReader({ wasmBinary: new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]).buffer });
    await expect(loadQrReader()).rejects.toBeDefined();
    prepareQrReader({ wasmBinary: readerBytes() });
    await expect(loadQrReader()).resolves.toBeDefined();
  });
});

describe("reading an attendance QR code from a camera frame", () => {
  beforeAll(() => prepareQrReader({ wasmBinary: readerBytes() }));

  it("reads every one of 200 attendance codes (the JavaScript port of ZXing missed about one in ten)", async () => {
    const missed: string[] = [];
    for (let i = 0; i < 200; i++) {
      const code = await attendanceCode(
        privateKeyToAccount(generatePrivateKey()),
        CAMPAIGN,
        31337,
        1_800_000_000n + BigInt(i),
      );
      // Large and small in the frame: 8 pixels per module down to 4.
      const text = await readQr(frame(code, 4 + (i % 5)));
      if (text !== code) missed.push(code);
    }
    expect(missed).toEqual([]);
  }, 60_000);

  it("gives null for a frame without a code", async () => {
    const blank = { data: new Uint8ClampedArray(640 * 480 * 4).fill(235), width: 640, height: 480 };
    expect(await readQr(blank)).toBeNull();
  });

  it("gives any other QR code's text as it is, for the page to refuse", async () => {
    expect(await readQr(frame("https://example.org/not-an-attendance-code", 6))).toBe(
      "https://example.org/not-an-attendance-code",
    );
  });
});

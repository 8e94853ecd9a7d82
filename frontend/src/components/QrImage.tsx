import { useEffect, useState } from "react";

/** A QR code of `text` as an image (the encoder is loaded on demand, out of the initial bundle). */
export function QrImage({
  text,
  alt,
  size = 180,
  testId,
}: {
  text: string;
  alt: string;
  size?: number;
  testId?: string;
}) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import("qrcode").then((q) =>
      q.toDataURL(text, { errorCorrectionLevel: "M", margin: 1, width: size }).then((u) => {
        if (live) setUrl(u);
      }),
    );
    return () => {
      live = false;
    };
  }, [text, size]);
  return url ? <img src={url} alt={alt} width={size} height={size} className="qr" data-testid={testId} /> : null;
}

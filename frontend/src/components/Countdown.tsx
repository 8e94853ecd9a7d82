import { useEffect, useState } from "react";
import { useI18n } from "../i18n/i18n.tsx";
import { formatDuration } from "../lib/format.ts";

/** Time left until `deadline` (seconds), on the chain's clock (`offset` seconds ahead of ours). */
export function Countdown({
  deadline,
  offset,
  testId = "countdown",
}: {
  deadline: bigint;
  offset: number;
  testId?: string;
}) {
  const { t, lang } = useI18n();
  const [now, setNow] = useState(() => Math.floor(Date.now() / 1000) + offset);
  useEffect(() => {
    const id = setInterval(() => setNow(Math.floor(Date.now() / 1000) + offset), 1000);
    setNow(Math.floor(Date.now() / 1000) + offset);
    return () => clearInterval(id);
  }, [offset]);
  const left = Number(deadline) - now;
  return (
    <span data-testid={testId}>
      {left > 0 ? t("campaign.countdown", { duration: formatDuration(left, lang) }) : t("campaign.closed")}
    </span>
  );
}

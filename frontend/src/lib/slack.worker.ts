/**
 * The campaign page's bucket slacks off the main thread: `bucketSlack` is a binary search over
 * resolutions for each group with a condition that counts, about 2 s on a 64-level ladder, computed
 * again on every change of the tallies. Messages in: SlackRequest; out: SlackAnswer (bigints travel by
 * structured clone).
 */
import { slacks } from "./conditions.ts";
import type { SlackAnswer, SlackRequest } from "./slack-protocol.ts";

self.onmessage = (e: MessageEvent<SlackRequest>) => {
  const { id, ladder, tallies, conditions } = e.data;
  const answer: SlackAnswer = { id, slacks: slacks(ladder, tallies, conditions) };
  (self as unknown as Worker).postMessage(answer);
};

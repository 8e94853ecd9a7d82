/**
 * The browser the end-to-end tests and the benchmarks drive: Debian's Chromium (CHROMIUM_PATH to
 * use another), headless, with nothing that phones home (no background networking, component
 * updates or sync), so a run reaches no address but the local stack.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

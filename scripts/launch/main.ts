/**
 * `npm run serve -- --config bascule.config.json [--only relayer,keeper]`: the services the file
 * names (docs/operator-guide.md, "Configuration file"), against its chain; secrets from the
 * environment only. Exits 1 with every problem of the file, in English and French, before starting
 * anything. SIGINT/SIGTERM: stops taking requests, lets every service finish its step, closes the
 * stores, exits 0 (kit/lifecycle.ts).
 */
import { parseArgs } from "node:util";
import { stopOnSignal } from "../kit/lifecycle.js";
import { LaunchConfigError, SERVICES, type ServiceName, readLaunchConfig } from "./config.js";
import { LaunchError, launch } from "./launcher.js";

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let values: { config?: string; only?: string };
try {
  ({ values } = parseArgs({ options: { config: { type: "string" }, only: { type: "string" } } }));
} catch (error) {
  fail(`${(error as Error).message} / option inconnue`);
}
if (!values.config)
  fail(
    "usage: npm run serve -- --config bascule.config.json [--only relayer,keeper]\n" +
      "  (example: deploy/bascule.config.example.json / exemple : deploy/bascule.config.example.json)",
  );
let only: ServiceName[] | undefined;
if (values.only) {
  only = values.only.split(",").map((s) => s.trim()) as ServiceName[];
  const unknown = only.filter((name) => !(SERVICES as readonly string[]).includes(name));
  if (unknown.length > 0)
    fail(
      `--only: ${unknown.join(", ")} is not a service (${SERVICES.join(", ")}) / n’est pas un service (${SERVICES.join(", ")})`,
    );
}

try {
  const config = readLaunchConfig(values.config);
  const launched = await launch(config, { only });
  stopOnSignal({
    name: "launcher",
    close: [() => launched.close()],
    log: (line) => launched.logger.info({ service: "launcher" }, line),
  });
} catch (error) {
  if (error instanceof LaunchConfigError || error instanceof LaunchError) fail(error.message);
  throw error;
}

/**
 * `npm run serve -- --config bascule.config.json [--only relayer,keeper] [--keystore]`: the
 * services the file names (docs/operator-guide.md, "Configuration file"), against its chain; secrets
 * from the environment, and with `--keystore` those it lacks from Hardhat's keystore (keystore.ts). Exits 1 with every problem of the file, in English and French, before starting
 * anything. SIGINT/SIGTERM: stops taking requests, lets every service finish its step, closes the
 * stores, exits 0 (kit/lifecycle.ts).
 */
import { parseArgs } from "node:util";
import { stopOnSignal } from "../kit/lifecycle.js";
import { LaunchConfigError, SERVICES, type ServiceName, readLaunchConfig } from "./config.js";
import { environmentWithKeystore } from "./keystore.js";
import { LaunchError, launch } from "./launcher.js";

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let values: { config?: string; only?: string; keystore?: boolean };
try {
  ({ values } = parseArgs({
    options: { config: { type: "string" }, only: { type: "string" }, keystore: { type: "boolean" } },
  }));
} catch (error) {
  fail(`${(error as Error).message} / option inconnue`);
}
if (!values.config)
  fail(
    "usage: npm run serve -- --config bascule.config.json [--only relayer,keeper] [--keystore]\n" +
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
  let env: Record<string, string | undefined> = process.env;
  if (values.keystore)
    env = await environmentWithKeystore(process.env, process.cwd()).catch((error: unknown) =>
      fail(
        `Hardhat's keystore could not be read: ${(error as Error).message}\n` +
          `le trousseau de Hardhat n’a pas pu être lu : ${(error as Error).message}`,
      ),
    );
  const config = readLaunchConfig(values.config, env);
  const launched = await launch(config, { only, env });
  stopOnSignal({
    name: "launcher",
    close: [() => launched.close()],
    log: (line) => launched.logger.info({ service: "launcher" }, line),
  });
} catch (error) {
  if (error instanceof LaunchConfigError || error instanceof LaunchError) fail(error.message);
  throw error;
}

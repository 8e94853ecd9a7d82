/** Starts the attester (store + service + routes) on a port; used by main.ts, `npm start` and the tests. */
import { buildAttesterApp } from "./routes.js";
import { AttesterService } from "./service.js";
import { AttesterStore } from "./store.js";

export interface AttesterOptions {
  /** 0 picks any free port. */
  port: number;
  host?: string;
  /** SQLite file; ":memory:" keeps nothing across restarts. */
  dbPath: string;
  corsOrigins: string[];
  token: string;
  /** The payout desk clerks' token (the desk ledger); none: the desk routes refuse. */
  deskToken?: string;
  /** Internal route errors (default: stderr); the launcher gives its pino logger. */
  log?: (line: string) => void;
}

export interface AttesterHandle {
  url: string;
  service: AttesterService;
  close(): Promise<void>;
}

export async function startAttester(options: AttesterOptions): Promise<AttesterHandle> {
  // It holds the campaigns' private keys: the store makes its file readable by the service's user only.
  const store = new AttesterStore(options.dbPath);
  const service = new AttesterService(store);
  const app = await buildAttesterApp({
    service,
    token: options.token,
    deskToken: options.deskToken,
    corsOrigins: options.corsOrigins,
    log: options.log,
  });
  const address = await app.listen({ port: options.port, host: options.host ?? "127.0.0.1" });
  return {
    url: address,
    service,
    close: async () => {
      await app.close();
      store.close();
    },
  };
}

/**
 * How every service stops: on SIGINT (Ctrl-C) or SIGTERM it stops taking work, then closes its
 * parts in the order given (HTTP first, then what it runs, then its store), and exits 0. Nothing
 * accepted is lost: each service commits what it accepted before answering. A second signal, or a
 * close that hangs past `timeoutMs`, exits 1 at once (close-with-grace, the fastify team's).
 */
import closeWithGrace from "close-with-grace";

export interface StopOptions {
  /** Service name, for the log line. */
  name: string;
  /** Called in this order, each awaited before the next. */
  close: (() => Promise<void> | void)[];
  /** Give up closing after this long (default 30 s). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/**
 * Stops the service cleanly on a signal or an uncaught error; returns a function that stops it now.
 * @example stopOnSignal({ name: "relayer", close: [() => app.close(), () => relayer.stop()] });
 */
export function stopOnSignal(options: StopOptions): () => void {
  const log = options.log ?? ((line: string) => console.error(line));
  const { close } = closeWithGrace(
    {
      delay: options.timeoutMs ?? 30_000,
      logger: { error: (message: unknown) => log(`${options.name}: ${String(message)}`) },
      skip: ["beforeExit"],
    },
    async ({ signal, err }) => {
      if (err) log(`${options.name}: ${err.stack ?? err.message}`);
      else if (signal) log(`${options.name}: ${signal}, stopping / arrêt`);
      for (const step of options.close) await step();
    },
  );
  return close;
}

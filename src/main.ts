import { startApp } from './app.ts';
import { describe } from './errors.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';

const SHUTDOWN_DEADLINE_MS = 5_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const log = createLogger(config.LOG_LEVEL);
  let app;
  try {
    app = await startApp(config, log);
  } catch (error) {
    log.debug({ err: error }, 'start-up failed');
    log.flush();
    fail(describe(error));
  }
  if (app.url) process.stderr.write(`notes-stream ready: GraphiQL at ${app.url}\n`);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      log.error('shutdown took too long; exiting anyway');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    app.stop().then(
      () => {
        log.info('stopped');
        log.flush();
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

function fail(message: string): never {
  process.stderr.write(`notes-stream: ${message}\n`);
  process.exit(1);
}

await main();

import { startApp, type RunningApp } from './app.ts';
import { describe } from './errors.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { watchLaunchers } from './launcher-watch.ts';
import { createLogger, type Logger } from './log.ts';

const SHUTDOWN_DEADLINE_MS = 5_000;

/**
 * Every way this process ends stops what it started, the embedded PostgreSQL last: Ctrl-C
 * (SIGINT), SIGTERM, SIGHUP (the terminal closed), the end of npm or another process that
 * launched it, and an uncaught error. A signal during start-up waits for it, then stops.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const log = createLogger(config.LOG_LEVEL);
  const starting = startApp(config, log);
  const stopOn = endings(log, starting);

  let app: RunningApp;
  try {
    app = await starting;
  } catch (error) {
    log.debug({ err: error }, 'start-up failed');
    log.flush();
    fail(describe(error));
  }
  if (stopOn.stopping) return;
  if (app.embedded) {
    process.stderr.write(
      `notes-stream: embedded PostgreSQL at ${app.embedded.url} (data in ${app.embedded.databaseDir}; psql "${app.embedded.url}")\n`,
    );
  }
  if (app.url) {
    process.stderr.write(`notes-stream ready: GraphiQL at ${app.url}\n`);
    process.stderr.write(`notes-stream: live dashboard at ${new URL('/dashboard', app.url).href}\n`);
  }
}

function endings(log: Logger, starting: Promise<RunningApp>): { stopping: boolean } {
  const state = { stopping: false };
  const shutdown = (reason: string, exitCode: number) => {
    if (state.stopping) return;
    state.stopping = true;
    log.info({ reason }, 'shutting down');
    const deadline = setTimeout(() => {
      log.error('shutdown took too long; exiting anyway');
      log.flush();
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    starting
      .then((app) => app.stop())
      .then(
        () => {
          log.info('stopped');
          log.flush();
          process.exit(exitCode);
        },
        (error: unknown) => {
          log.error({ err: error }, 'error during shutdown');
          log.flush();
          process.exit(1);
        },
      );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal, 0));
  watchLaunchers((pid) => shutdown(`launching process ${pid} ended`, 0));
  const crash = (error: unknown) => {
    log.fatal({ err: error }, 'uncaught error');
    process.stderr.write(`notes-stream: uncaught error: ${describe(error)}\n`);
    shutdown('uncaught error', 1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  return state;
}

function fail(message: string): never {
  process.stderr.write(`notes-stream: ${message}\n`);
  process.exit(1);
}

await main();

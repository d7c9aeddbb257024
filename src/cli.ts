// `npm run cli -- <command> [args]`: the operational commands. Each command lives in its own
// module, loaded only when asked for, and returns the process exit code.
import { describe } from './errors.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { commands } from './commands/index.ts';
import { createLogger } from './log.ts';

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: npm run cli -- <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`notes-stream: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`notes-stream: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  // Logs go to stderr: a command's stdout is its output.
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, 2);
  try {
    return await command.run({ config, log, args, command: name });
  } catch (error) {
    log.debug({ err: error }, `${name} failed`);
    process.stderr.write(`notes-stream ${name}: ${describe(error)}\n`);
    return 1;
  } finally {
    log.flush();
  }
}

process.exitCode = await main(process.argv.slice(2));

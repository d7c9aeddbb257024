import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';

export interface CommandContext {
  config: Config;
  log: Logger;
  args: string[];
  /** The command's name, for messages. */
  command?: string;
}

export interface Command {
  summary: string;
  run: (ctx: CommandContext) => Promise<number>;
}

/** The CLI's commands by name; src/commands/index.ts fills it. */
export const commands: Record<string, Command> = {};

export function registerCommand(name: string, command: Command): void {
  commands[name] = command;
}

// Registers the commands that live outside src/cli.ts. One import per command module.
export {};

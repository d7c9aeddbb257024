// @notes-stream/sdk as another project gets it: `npm pack`, installed from the tarball into a
// throwaway project outside the repository (its own package.json, nothing of ours), type-checked
// there, run with node against a running server (a query, a subscription, a connection dropped
// and resumed without losing an event), and bundled by esbuild for the browser, where headless
// Chromium runs a query and receives a subscription event. The programs: test/sdk-consumer/.
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import type { Processor } from '../src/streaming/processor/processor.ts';
import type { Realtime } from '../src/streaming/realtime/realtime.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, streamOrder, type FixtureNote } from './helpers/notes.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { startTestServer } from './helpers/server.ts';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.ts';
import { eventually } from './helpers/wait.ts';

const CHROMIUM = '/usr/bin/chromium';
const TSC = resolve('node_modules/typescript/bin/tsc');
const run = promisify(execFile);

const testDb = useTestDatabase();
let processor: Processor;
let server: RunningServer & { realtime?: Realtime };
let proxy: TcpProxy;
let work: string; // holds the tarball and the throwaway project
let project: string;
let packed: { filename: string; files: { path: string }[] };

beforeAll(async () => {
  processor = await startProcessor(testDb);
  server = await startTestServer(testDb, { realtime: true });
  proxy = await startTcpProxy(server.url);
  work = mkdtempSync(join(tmpdir(), 'notes-stream-sdk-package-'));
  project = join(work, 'consumer');

  // `npm pack` runs the package's prepack script, so the tarball holds a fresh build.
  const pack = await run('npm', ['pack', '-w', '@notes-stream/sdk', '--pack-destination', work, '--json'], { maxBuffer: 1 << 24 });
  packed = (JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as (typeof packed)[])[0]!;

  // A project of its own: its package.json, the tarball and @types/node, from the registry or
  // npm's cache; the tsconfigs a Node.js program and a browser script would have.
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'sdk-consumer', private: true, type: 'module' }));
  const typesNode = (JSON.parse(readFileSync('node_modules/@types/node/package.json', 'utf8')) as { version: string }).version;
  await run('npm', ['install', join(work, packed.filename), `@types/node@${typesNode}`, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: project });
  for (const file of ['node-consumer.ts', 'browser-page.ts']) copyFileSync(join('test/sdk-consumer', file), join(project, file));
  const { node: nodeSnippets, browser: browserSnippets } = readmeSnippets(join(project, 'node_modules/@notes-stream/sdk/README.md'));
  // The browser script's check covers the package's declarations too (skipLibCheck off: cheap
  // without @types/node, which alone takes 10 s to check here).
  const strict = { strict: true, target: 'ES2022', noEmitOnError: true };
  const nodeOptions = { ...strict, module: 'NodeNext', types: ['node'], skipLibCheck: true, outDir: 'out' };
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: nodeOptions, files: ['node-consumer.ts', ...nodeSnippets] }));
  const browserOptions = { ...strict, module: 'ESNext', moduleResolution: 'Bundler', customConditions: ['browser'], lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false, noEmit: true };
  writeFileSync(join(project, 'tsconfig.browser.json'), JSON.stringify({ compilerOptions: browserOptions, files: ['browser-page.ts', ...browserSnippets] }));
});

afterAll(async () => {
  await proxy?.close();
  await server?.stop();
  await processor?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

let nextNote = 88_000;
function note(place: 'paris' | 'tokyo', actions: number): FixtureNote {
  const [lat, lon] = place === 'paris' ? [48.85, 2.35] : [35.68, 139.69];
  const kinds = ['opened', 'commented', 'closed'] as const;
  const comments = Array.from({ length: actions }, (_, i) => ({ action: kinds[Math.min(i, 2)]!, at: `2025-06-0${i + 1}T08:00:00Z`, text: `step ${i + 1}` }));
  return { id: nextNote++, lat, lon, comments };
}

const liveSubscribers = (n: number) => eventually(() => server.realtime!.stream.liveSubscribers >= n, { what: `${n} live subscribers` });

describe('the SDK package, installed from its tarball', () => {
  it('holds only the build and installs with only client dependencies', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/browser.js', 'dist/browser.d.ts']));
    expect(paths.filter((p) => !p.startsWith('dist/') && !['package.json', 'README.md'].includes(p))).toEqual([]);
    expect(paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
    const installed = readdirSync(join(project, 'node_modules')).flatMap((entry) =>
      entry.startsWith('@') ? readdirSync(join(project, 'node_modules', entry)).map((name) => `${entry}/${name}`) : entry.startsWith('.') ? [] : [entry],
    );
    expect(installed.sort()).toEqual(['@graphql-typed-document-node/core', '@notes-stream/sdk', '@types/node', 'graphql', 'graphql-ws', 'undici-types', 'ws']);
  });

  it("type-checks a Node.js program, a browser script and the README's examples against the installed types", async () => {
    // Strict; a wrong variable in the program is an expected error there (@ts-expect-error),
    // which fails the build if the package's types were lost.
    await Promise.all([
      run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project }),
      run(process.execPath, [TSC, '-p', 'tsconfig.browser.json'], { cwd: project }),
    ]);
    expect(existsSync(join(project, 'out/node-consumer.js'))).toBe(true);
  });

  it('runs a Node.js program that queries and subscribes, and resumes after a dropped connection without losing an event', async () => {
    const program = spawn(process.execPath, ['out/node-consumer.js', proxy.url, 'FR', '5'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    const steps: Record<string, unknown>[] = [];
    let stderr = '';
    program.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    createInterface({ input: program.stdout }).on('line', (line) => steps.push(JSON.parse(line) as Record<string, unknown>));
    const exited = new Promise<number | null>((done) => program.on('exit', done));
    const events = () => steps.filter((s) => s.step === 'event');
    try {
      const query = await eventually(() => steps.find((s) => s.step === 'query'), { what: `the query (stderr: ${stderr})`, timeoutMs: 20_000 });
      expect(query).toEqual({ step: 'query', opened: expect.any(Number), refused: { code: 'BAD_USER_INPUT', message: expect.stringContaining('XY') } });
      await liveSubscribers(1);

      const before = note('paris', 2);
      await insertNotes(testDb.database.pool, [before]);
      await eventually(() => events().length === 2, { what: 'the first two events' });

      proxy.cut();
      const missed = note('paris', 2);
      await insertNotes(testDb.database.pool, [missed, note('tokyo', 1)]);
      await waitForDrained(testDb.database.pool);
      proxy.open();
      await eventually(() => events().length === 4, { what: 'the events missed while disconnected', timeoutMs: 15_000 });

      const live = note('paris', 1);
      await insertNotes(testDb.database.pool, [live]);
      expect(await exited).toBe(0);
      expect(steps.filter((s) => s.step === 'connected')).toEqual([{ step: 'connected', retry: false }, { step: 'connected', retry: true }]);
      expect(events().map((e) => [e.noteId, e.sequenceAction])).toEqual(await streamOrder(testDb.database.pool, [before, missed, live]));
      expect(steps.at(-1)).toEqual({ step: 'done' });
    } finally {
      program.kill();
    }
  });

  describe('in the browser', () => {
    it('bundles with esbuild for the browser without ws or any Node.js built-in (the Node.js entry pulls in ws)', async () => {
      const options = { absWorkingDir: project, entryPoints: ['browser-page.ts'], bundle: true, format: 'esm' as const, metafile: true as const, logLevel: 'silent' as const };
      const result = await build({ ...options, platform: 'browser', outfile: 'public/page.js' });
      expect(Object.keys(result.metafile.inputs)).toContain('node_modules/@notes-stream/sdk/dist/browser.js');
      expect(nodeDependencies(result.metafile)).toEqual([]);

      // The control: the same script built for Node.js gets the `ws` package and its built-ins.
      const forNode = await build({ ...options, platform: 'node', write: false, outfile: 'node-page.js' });
      expect(nodeDependencies(forNode.metafile)).toEqual(expect.arrayContaining(['node_modules/ws/', 'events']));
    });

    it.skipIf(!existsSync(CHROMIUM))('runs a query and receives a subscription event in headless Chromium', async () => {
      expect(existsSync(join(project, 'public/page.js')), 'the bundle of the test before').toBe(true);
      writeFileSync(
        join(project, 'public/index.html'),
        `<!doctype html><title>SDK</title><script type="module">import { start } from './page.js'; start(${JSON.stringify(server.url)}, 'JP');</script>`,
      );
      const site = await serve(join(project, 'public'));
      let browser: Browser | undefined;
      try {
        browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
        const page = await browser.newPage();
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        const subscribers = server.realtime!.stream.liveSubscribers;
        await page.goto(site.url);
        await liveSubscribers(subscribers + 1);
        const tokyo = note('tokyo', 1);
        await insertNotes(testDb.database.pool, [tokyo]);
        type State = { opened?: number; events: { noteId: number }[]; error?: string };
        const state = await eventually(
          async () => {
            const s = await page.evaluate(() => (globalThis as { sdkPage?: State }).sdkPage);
            return s && (s.events.length > 0 || s.error) ? s : undefined;
          },
          { what: 'an event in the page', timeoutMs: 15_000 },
        );
        expect(pageErrors).toEqual([]);
        expect(state).toEqual({ opened: expect.any(Number), events: [{ noteId: tokyo.id, sequenceAction: 1, cursor: expect.any(String) }] });
      } finally {
        await browser?.close();
        await new Promise((done) => site.server.close(done));
      }
    });
  });
});

/** Writes the package README's TypeScript examples to files of the project: those marked "in a browser" apart. */
function readmeSnippets(readme: string): { node: string[]; browser: string[] } {
  const snippets = { node: [] as string[], browser: [] as string[] };
  const blocks = [...readFileSync(readme, 'utf8').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  blocks.forEach((code, i) => {
    const file = `readme-example-${i + 1}.ts`;
    writeFileSync(join(project, file), code);
    snippets[code.startsWith('// in a browser') ? 'browser' : 'node'].push(file);
  });
  expect(snippets.node.length).toBeGreaterThanOrEqual(4);
  expect(snippets.browser.length).toBeGreaterThanOrEqual(1);
  return snippets;
}

/** Bundle inputs from Node.js's world: the `ws` package, or a built-in module left external. */
function nodeDependencies(metafile: Metafile): string[] {
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const found = new Set<string>();
  for (const [path, input] of Object.entries(metafile.inputs)) {
    if (path.includes('node_modules/ws/')) found.add('node_modules/ws/');
    for (const { path: imported } of input.imports) if (builtins.has(imported)) found.add(imported.replace(/^node:/, ''));
  }
  return [...found].sort();
}

/** Serves the files of `dir` on a free port of 127.0.0.1. */
async function serve(dir: string): Promise<{ url: string; server: Server }> {
  const types: Record<string, string> = { html: 'text/html', js: 'text/javascript' };
  const server = createServer((request, response) => {
    const name = new URL(request.url ?? '/', 'http://localhost').pathname.slice(1) || 'index.html';
    const file = join(dir, name);
    if (!/^[\w.-]+$/.test(name) || !existsSync(file)) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': types[name.split('.').pop()!] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, server };
}

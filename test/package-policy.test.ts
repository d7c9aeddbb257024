// Issue 22, item 9: `npm ci` is quiet on the supported Node versions. npm 11 lists every
// dependency whose install script package.json's allowScripts does not cover (and a later npm
// will skip them); the embedded PostgreSQL packages need theirs (they restore library
// symlinks). CI also installs on Node 24 and fails on any npm warning (.ci/run).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/app-process.ts';

describe('package.json', () => {
  it('covers every dependency install script in allowScripts', () => {
    const listed = execFileSync('npm', ['install-scripts', 'ls'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(listed.trim()).toBe('No packages with unreviewed install scripts.');
  });

  it('names the supported Node versions, 22 (from 22.15, what dependencies ask) and 24', () => {
    const { engines } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(engines.node).toBe('^22.15.0 || >=24.0.0');
  });
});

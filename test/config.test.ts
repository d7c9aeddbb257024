import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it('gives defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(4000);
    expect(config.ROLE).toBe('all');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PROCESSOR_BATCH_SIZE).toBeGreaterThan(0);
    // The alert rules of the OSM streaming plan and of OSM-Notes-Monitoring.
    expect(config).toMatchObject({
      ALERT_BACKLOG_EVENTS: 100,
      ALERT_LAG_SECONDS: 60,
      ALERT_LISTENER_DOWN_SECONDS: 60,
      ALERT_ERROR_RATE_PERCENT: 5,
      ALERT_NOTES_STALE_SECONDS: 3600,
      ALERT_POLL_SUCCESS_PERCENT: 95,
      ALERT_LAG_CRITICAL_SECONDS: 300,
      ALERT_ESCALATION_MINUTES: [15, 30, 60],
    });
    expect(loadConfig({ ALERT_ESCALATION_MINUTES: '10,20,45', ALERT_ERROR_RATE_PERCENT: '2.5' })).toMatchObject({
      ALERT_ESCALATION_MINUTES: [10, 20, 45],
      ALERT_ERROR_RATE_PERCENT: 2.5,
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).PORT).toBe(4000);
  });

  it.each([
    ['PORT', 'abc', /PORT="abc" must be an integer from 0 to 65535/],
    ['PORT', '70000', /PORT="70000" must be an integer from 0 to 65535/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL="mysql:\/\/x" must be a URL like postgres:\/\//],
    ['DATABASE_URL', 'not a url', /DATABASE_URL="not a url" must be a URL/],
    ['ROLE', 'worker', /ROLE="worker" must be one of all, api, processor/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL="loud" must be one of fatal/],
    ['PROCESSOR_BATCH_SIZE', '0', /PROCESSOR_BATCH_SIZE="0" must be an integer from 1 to 10000/],
    ['ALERT_ERROR_RATE_PERCENT', '120', /ALERT_ERROR_RATE_PERCENT="120" must be a number from 0 to 100/],
    ['ALERT_ESCALATION_MINUTES', '15,30', /ALERT_ESCALATION_MINUTES="15,30" must be three minute counts, e.g. 15,30,60/],
    ['ALERT_ESCALATION_MINUTES', '30,15,60', /ALERT_ESCALATION_MINUTES="30,15,60" must be three increasing minute counts/],
    ['ALERT_BACKLOG_FOR_SECONDS', '-1', /ALERT_BACKLOG_FOR_SECONDS="-1" must be an integer from 0 to 86400/],
  ])('rejects %s=%s naming the variable and what is allowed', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrowError(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrowError(message);
  });

  it('names every bad variable at once and never prints a token or password', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'x', ADMIN_TOKEN: 'short', DATABASE_READ_URL: 'postgres://u:secret@:5432/db' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/PORT=/);
    expect(message).toMatch(/ADMIN_TOKEN must be at least 8 characters/);
    expect(message).toMatch(/DATABASE_READ_URL/);
    expect(message).not.toMatch(/short|secret/);
  });
});

function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...env },
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stdout += d));
    child.on('exit', (code) => resolve({ code, stderr, stdout }));
  });
}

describe('start-up with bad configuration', () => {
  it.each([
    [{ PORT: 'eighty' }, /^notes-stream: invalid configuration: PORT="eighty" must be an integer/],
    [{ DATABASE_URL: 'localhost:5432/db' }, /^notes-stream: invalid configuration: DATABASE_URL=/],
    [{ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, /^notes-stream: cannot prepare the database at .*ECONNREFUSED/],
  ])('%o gives one clear line and exit code 1, no stack trace', async (env, message) => {
    const { code, stderr } = await runMain(env);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

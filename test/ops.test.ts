// The operations files agree with the server: the Prometheus rule file is what `npm run
// ops:rules` makes and passes promtool's checks and unit tests, the Alertmanager configuration
// passes amtool and routes as documented, the Grafana dashboard is importable and asks only for
// series /metrics serves, and docs/alerts.md covers every rule and setting.
// promtool and amtool come from Debian's prometheus and prometheus-alertmanager packages: without
// them these checks are skipped, except under CI (CI set), where they fail.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { alertRules } from '../src/alerts/rules.ts';
import { prometheusRuleFile, ruleExpression } from '../src/alerts/prometheus-rules.ts';
import { startApp, type RunningApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { useTestDatabase } from './helpers/database.ts';

const testDb = useTestDatabase();
const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const opsDir = (path: string) => new URL(`../ops/${path}`, import.meta.url).pathname;

function installed(tool: string): boolean {
  return !spawnSync(tool, ['--version']).error;
}
const inCi = Boolean(process.env.CI);
const tools = { promtool: installed('promtool'), amtool: installed('amtool') };
for (const [tool, present] of Object.entries(tools)) {
  if (!present && !inCi) console.warn(`${tool} is not installed: its checks are skipped (apt-get install prometheus prometheus-alertmanager)`);
}
/** Runs a tool, failing with its output when it fails (or when it is missing under CI). */
function run(tool: keyof typeof tools, args: string[], cwd?: string): string {
  if (!tools[tool]) throw new Error(`${tool} is not installed (apt-get install prometheus prometheus-alertmanager)`);
  const result = spawnSync(tool, args, { cwd, encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed:\n${output}`);
  return output;
}
const withTool = (tool: keyof typeof tools) => it.skipIf(!tools[tool] && !inCi);

describe('Prometheus rules', () => {
  it('ops/prometheus/alerts.yml is what `npm run ops:rules` writes with the default thresholds', () => {
    expect(read('ops/prometheus/alerts.yml')).toBe(prometheusRuleFile(loadConfig({})));
  });

  withTool('promtool')('pass promtool check rules and the unit tests of alerts.test.yml', () => {
    expect(run('promtool', ['check', 'rules', 'alerts.yml'], opsDir('prometheus'))).toMatch(/SUCCESS: 44 rules found/);
    expect(run('promtool', ['test', 'rules', 'alerts.test.yml'], opsDir('prometheus'))).toMatch(/SUCCESS/);
  });

  it('the unit tests make every rule fire and resolve', () => {
    const tests = read('ops/prometheus/alerts.test.yml');
    for (const rule of alertRules(loadConfig({}))) {
      const checks = [...tests.matchAll(new RegExp(`alertname: ${rule.name}\\n\\s+exp_alerts:( \\[\\])?`, 'g'))];
      expect(checks.some((c) => c[1] === undefined), `${rule.name} fires in a test`).toBe(true);
      expect(checks.some((c) => c[1] === ' []'), `${rule.name} is quiet in a test`).toBe(true);
    }
  });
});

describe('Alertmanager configuration', () => {
  withTool('amtool')('passes amtool check-config and routes by escalation, then severity', () => {
    const config = opsDir('alertmanager/alertmanager.yml');
    expect(run('amtool', ['check-config', config])).toMatch(/SUCCESS/);
    const route = (...labels: string[]) => run('amtool', ['config', 'routes', 'test', `--config.file=${config}`, ...labels]).trim().split('\n')[0];
    expect(route('alertname=StreamingBacklogHigh', 'severity=warning')).toBe('team');
    expect(route('alertname=StreamingListenerDown', 'severity=critical')).toBe('team-critical');
    for (const level of ['1', '2', '3']) {
      expect(route('alertname=StreamingListenerDown', 'severity=critical', `escalation=${level}`)).toBe(`escalation-${level}`);
    }
  });

  it('holds placeholders, never secrets, and repeats every 60 min', () => {
    const text = read('ops/alertmanager/alertmanager.yml');
    expect(text).toMatch(/^\s+repeat_interval: 60m$/m);
    expect(text).toMatch(/smtp_auth_password_file:/);
    expect(text).toMatch(/slack_api_url_file:/);
    expect(text).not.toMatch(/smtp_auth_password:|slack_api_url:|api_url:|hooks\.slack\.com\/services\/[A-Z0-9]/);
    for (const address of text.match(/[\w.-]+@[\w.-]+/g) ?? []) expect(address).toMatch(/@example\.org$/);
  });
});

describe('Grafana dashboard', () => {
  const dashboard = JSON.parse(read('ops/grafana/notes-stream.json'));
  const panels = (dashboard.panels as { id: number; type: string; gridPos: object; targets?: { expr: string }[]; datasource?: { uid: string } }[]);
  const expressions = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

  it('can be imported into Grafana 10+: a Prometheus input, a datasource variable, unique panel ids', () => {
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' })]);
    expect(dashboard.templating.list).toContainEqual(expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', query: 'prometheus' }));
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${DS_PROMETHEUS}' });
      expect(panel.gridPos).toBeDefined();
    }
    const titles = panels.map((p) => p.type === 'row' ? '' : (p as unknown as { title: string }).title);
    for (const topic of ['Throughput', 'Processing lag', 'Outbox backlog', 'Errors', 'Subscribers', 'ETL batch durations']) {
      expect(titles).toContain(topic);
    }
  });

  withTool('promtool')('has expressions that PromQL parses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'notes-stream-dashboard-'));
    try {
      // Grafana's $__rate_interval is not PromQL: a plain range stands in for it.
      const rules = expressions.map((expr, i) => ({ record: `dashboard:panel_${i}`, expr: expr.replaceAll('$__rate_interval', '5m') }));
      writeFileSync(join(dir, 'dashboard.yml'), stringify({ groups: [{ name: 'dashboard', rules }] }));
      expect(run('promtool', ['check', 'rules', 'dashboard.yml'], dir)).toMatch(/SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('against a running server (ROLE=all)', () => {
    let app: RunningApp;
    let served: Set<string>;

    beforeAll(async () => {
      const config = loadConfig({ DATABASE_URL: testDb.url, PORT: '0', HOST: '127.0.0.1', DEMO_FEED: 'off', LOG_LEVEL: 'silent' });
      app = await startApp(config, createLogger(config.LOG_LEVEL));
      const text = await (await fetch(new URL('/metrics', app.url))).text();
      served = new Set();
      for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\w+)$/gm)) {
        served.add(name!);
        if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) served.add(name + suffix);
      }
    });
    afterAll(async () => {
      await app?.stop();
    });

    const metricsIn = (expr: string) => expr.match(/\bnotes_stream_\w+/g) ?? [];

    it('asks only for series that /metrics serves', () => {
      for (const expr of expressions) {
        expect(metricsIn(expr).length, expr).toBeGreaterThan(0);
        for (const name of metricsIn(expr)) expect(served, `${name} in ${expr}`).toContain(name);
      }
    });

    it('and so do the alert rules', () => {
      for (const rule of alertRules(loadConfig({}))) {
        for (const name of metricsIn(ruleExpression(rule))) expect(served, name).toContain(name);
      }
    });
  });
});

describe('docs/alerts.md', () => {
  const docs = read('docs/alerts.md');

  it('has a runbook section for every rule and names every ALERT_ variable', () => {
    for (const rule of alertRules(loadConfig({}))) {
      expect(docs, rule.name).toMatch(new RegExp(`^### ${rule.name}$`, 'm'));
      for (const setting of rule.settings) expect(docs, setting).toContain(`\`${setting}\``);
    }
    for (const key of Object.keys(loadConfig({})).filter((k) => k.startsWith('ALERT_'))) expect(docs, key).toContain(`\`${key}\``);
  });
});

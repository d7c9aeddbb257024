// Evaluates the alert rules in the API process every ALERT_EVALUATION_SECONDS, the way
// Prometheus does: a condition that starts to hold makes the rule PENDING, and FIRING once it has
// held for the rule's hold time; when it stops holding the rule is INACTIVE again. The states
// live in this process only (each API instance keeps its own; they agree within an evaluation).
import type pg from 'pg';
import type { Logger } from '../log.ts';
import { readHealthFigures, type HealthFigures } from './figures.ts';
import { alertRules, conditionHolds, formatValue, type AlertConfig, type AlertFigures, type AlertRule } from './rules.ts';

export type AlertStatus = 'inactive' | 'pending' | 'firing';

export interface AlertState {
  rule: AlertRule;
  status: AlertStatus;
  value: number | null;
  /** When the rule entered its status (for INACTIVE: when it resolved, or when watching began). */
  since: Date;
  /** When the condition began to hold; null while it does not. */
  activeAt: Date | null;
  summary: string;
  evaluatedAt: Date;
}

export interface EvaluatorOptions {
  pool: pg.Pool;
  config: AlertConfig;
  log: Logger;
  pubsub?: { readonly downSince: Date | null } | null;
}

/** Called after every evaluation; `changed` says whether a rule changed status. */
export type EvaluationListener = (states: AlertState[], changed: boolean) => void;

export class AlertEvaluator {
  readonly rules: AlertRule[];
  private states: AlertState[];
  private figures: AlertFigures | null = null;
  private readonly listeners = new Set<EvaluationListener>();
  private readonly deadSamples: { at: number; dead: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  failures = 0;

  constructor(private readonly options: EvaluatorOptions) {
    this.rules = alertRules(options.config);
    const now = new Date();
    this.states = this.rules.map((rule) => ({
      rule,
      status: 'inactive',
      value: null,
      since: now,
      activeAt: null,
      summary: summarize(rule, null),
      evaluatedAt: now,
    }));
  }

  /** Evaluates once (so /metrics and `alerts` have figures from the start), then periodically. */
  async start(): Promise<void> {
    await this.evaluate();
    const everyMs = this.options.config.ALERT_EVALUATION_SECONDS * 1000;
    this.timer = setInterval(() => void this.evaluate(), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    this.listeners.clear();
  }

  current(): AlertState[] {
    return this.states;
  }

  /** The figures of the last successful evaluation (null before the first). */
  latestFigures(): AlertFigures | null {
    return this.figures;
  }

  subscribe(listener: EvaluationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the figures and moves every rule's state; overlapping calls share one evaluation. */
  evaluate(): Promise<void> {
    this.running ??= this.evaluateNow().finally(() => (this.running = undefined));
    return this.running;
  }

  private async evaluateNow(): Promise<void> {
    let health: HealthFigures;
    try {
      health = await readHealthFigures({
        pool: this.options.pool,
        windowMinutes: this.options.config.ALERT_WINDOW_MINUTES,
        pubsub: this.options.pubsub,
      });
    } catch (error) {
      // The states stay as they were: a database that does not answer is /readyz's to report.
      this.failures++;
      this.options.log.warn({ err: error }, 'alert figures could not be read');
      return;
    }
    const figures: AlertFigures = { ...health, deadLettersAdded: this.deadLettersAdded(health) };
    this.figures = figures;
    const now = new Date();
    let changed = false;
    this.states = this.states.map((previous) => {
      const next = advance(previous, figures, now);
      if (next.status !== previous.status) changed = true;
      return next;
    });
    for (const listener of this.listeners) listener(this.states, changed);
  }

  /** Sum of the increases of the dead-letter count over the window (retries lower it; they do not cancel). */
  private deadLettersAdded(figures: HealthFigures): number {
    const at = figures.at.getTime();
    this.deadSamples.push({ at, dead: figures.deadEvents });
    const from = at - this.options.config.ALERT_WINDOW_MINUTES * 60_000;
    while (this.deadSamples.length > 0 && this.deadSamples[0]!.at < from) this.deadSamples.shift();
    let added = 0;
    for (let i = 1; i < this.deadSamples.length; i++) {
      added += Math.max(0, this.deadSamples[i]!.dead - this.deadSamples[i - 1]!.dead);
    }
    return added;
  }
}

function advance(previous: AlertState, figures: AlertFigures, now: Date): AlertState {
  const { rule } = previous;
  const { value, holds } = conditionHolds(rule, figures);
  const base = { ...previous, value, summary: summarize(rule, value), evaluatedAt: now };
  if (!holds) {
    return previous.status === 'inactive' ? base : { ...base, status: 'inactive', since: now, activeAt: null };
  }
  const activeAt = previous.activeAt ?? now;
  const held = now.getTime() - activeAt.getTime() >= rule.forSeconds * 1000;
  const status: AlertStatus = held ? 'firing' : 'pending';
  return { ...base, status, activeAt, since: status === previous.status ? previous.since : now };
}

function summarize(rule: AlertRule, value: number | null): string {
  const threshold = formatValue(rule.threshold, rule.format);
  if (value === null) return `${rule.name}: no figure to compare yet (threshold ${threshold})`;
  return rule.summary(formatValue(value, rule.format), threshold);
}

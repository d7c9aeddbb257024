import { alertStream } from '../alerts/alert-stream.ts';
import type { AlertEvaluator, AlertState } from '../alerts/evaluator.ts';
import { ruleExpression } from '../alerts/prometheus-rules.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';

const AlertStatus = builder.enumType('AlertStatus', {
  description: 'Where an alert rule stands, as in Prometheus.',
  values: {
    INACTIVE: { value: 'inactive', description: 'The condition does not hold.' },
    PENDING: { value: 'pending', description: 'The condition holds, not yet for the rule\'s hold time (forSeconds).' },
    FIRING: { value: 'firing', description: 'The condition has held for the hold time: Alertmanager would notify.' },
  } as const,
});

const AlertSeverity = builder.enumType('AlertSeverity', {
  description: 'How urgent a firing rule is; escalation to further people comes sooner for CRITICAL (docs/alerts.md).',
  values: {
    WARNING: { value: 'warning', description: 'Needs a look within working hours.' },
    CRITICAL: { value: 'critical', description: 'Needs someone now: data stops flowing or falls minutes behind.' },
  } as const,
});

const AlertComparison = builder.enumType('AlertComparison', {
  description: 'On which side of its threshold a rule fires.',
  values: {
    ABOVE: { value: '>', description: 'Fires when the value is greater than the threshold.' },
    BELOW: { value: '<', description: 'Fires when the value is less than the threshold.' },
  } as const,
});

const AlertStateType = builder.objectRef<AlertState>('AlertState').implement({
  description:
    'One alert rule as this server evaluates it every ALERT_EVALUATION_SECONDS: the same rule, threshold and hold ' +
    'time Prometheus evaluates from ops/prometheus/alerts.yml, over the same figure /metrics serves.',
  fields: (t) => ({
    rule: t.string({ description: 'The alert name (Prometheus `alertname`), e.g. StreamingBacklogHigh.', resolve: (s) => s.rule.name }),
    component: t.string({ description: '`streaming` (outbox, processors) or `ingestion` (OSM API poller, note freshness).', resolve: (s) => s.rule.component }),
    severity: t.field({ type: AlertSeverity, description: 'The rule\'s severity label.', resolve: (s) => s.rule.severity }),
    state: t.field({ type: AlertStatus, description: 'INACTIVE, PENDING or FIRING.', resolve: (s) => s.status }),
    value: t.float({
      nullable: true,
      description: 'The figure compared at the last evaluation, in the unit of `threshold`; null when unknown (the rule cannot fire).',
      resolve: (s) => s.value,
    }),
    threshold: t.float({ description: 'The configured threshold (ALERT_* variables; ratios as fractions, 0.05 = 5 %).', resolve: (s) => s.rule.threshold }),
    comparison: t.field({ type: AlertComparison, description: 'Whether the rule fires above or below the threshold.', resolve: (s) => s.rule.comparison }),
    unit: t.string({ description: '`count`, `seconds` or `ratio`.', resolve: (s) => s.rule.format }),
    forSeconds: t.int({ description: 'How long the condition must hold before the rule fires.', resolve: (s) => s.rule.forSeconds }),
    since: t.field({
      type: 'DateTime',
      description: 'When the rule entered its state (for INACTIVE: when it resolved, or when this server began to evaluate).',
      resolve: (s) => s.since,
    }),
    activeAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the condition began to hold (PENDING and FIRING); null while INACTIVE.',
      resolve: (s) => s.activeAt,
    }),
    evaluatedAt: t.field({ type: 'DateTime', description: 'When the rule was last evaluated.', resolve: (s) => s.evaluatedAt }),
    summary: t.string({ description: 'One line with the value and the threshold.', resolve: (s) => s.summary }),
    description: t.string({ description: 'What the condition means.', resolve: (s) => s.rule.description }),
    expression: t.string({ description: 'The PromQL expression of the rule in ops/prometheus/alerts.yml.', resolve: (s) => ruleExpression(s.rule) }),
    runbook: t.string({ description: 'Where docs/alerts.md says what to do.', resolve: (s) => `docs/alerts.md#${s.rule.name.toLowerCase()}` }),
  }),
});

function evaluatorOf(ctx: GraphQLContext): AlertEvaluator {
  if (!ctx.alerts) throw new Error('alerts are not evaluated in this process');
  return ctx.alerts;
}

builder.queryField('alerts', (t) =>
  t.field({
    type: [AlertStateType],
    description:
      'Every alert rule with its state at the last evaluation (every ALERT_EVALUATION_SECONDS), most urgent first: ' +
      'FIRING, then PENDING, then INACTIVE; CRITICAL before WARNING.',
    args: {
      states: t.arg({
        type: [AlertStatus],
        required: false,
        description: 'Only rules in these states, e.g. [FIRING, PENDING]; all rules when absent.',
      }),
    },
    resolve: (_root, args, ctx) => {
      const states = evaluatorOf(ctx).current();
      return mostUrgentFirst(args.states ? states.filter((s) => args.states!.includes(s.status)) : states);
    },
  }),
);

builder.subscriptionField('alertsChanged', (t) =>
  t.field({
    type: [AlertStateType],
    description:
      'Every alert rule (as the alerts query), sent now and then after each evaluation in which a rule changed state.',
    args: {
      everyEvaluation: t.arg.boolean({
        defaultValue: false,
        description: 'Also send after evaluations that changed only values (every ALERT_EVALUATION_SECONDS), for live figures.',
      }),
    },
    subscribe: (_root, args, ctx) => alertStream(evaluatorOf(ctx), args.everyEvaluation ?? false),
    resolve: (states: AlertState[]) => mostUrgentFirst(states),
  }),
);

const STATUS_ORDER = { firing: 0, pending: 1, inactive: 2 } as const;
const SEVERITY_ORDER = { critical: 0, warning: 1 } as const;

function mostUrgentFirst(states: AlertState[]): AlertState[] {
  return [...states].sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      SEVERITY_ORDER[a.rule.severity] - SEVERITY_ORDER[b.rule.severity] ||
      a.rule.name.localeCompare(b.rule.name),
  );
}

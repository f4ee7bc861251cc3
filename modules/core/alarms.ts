/**
 * Alarms that reach someone: the one shape every construct takes for "who is told when an alarm fires",
 * and the one way it is wired into an alarm. A construct's inputs declare `alarmActions:
 * alarmActions({ ... })`; its alarms spread `...notify(p.alarmActions)`.
 */
import { Token } from 'cdktf';
import { known } from './expr';
import { strings, none, type Common, type Field, type None } from './inputs';
import { ALARM_ACTION_ARN } from './validation';
import { arnRule } from './inputs';

/** CloudWatch takes at most five actions per state (PutMetricAlarm `AlarmActions`). */
export const MAX_ALARM_ACTIONS = 5;

export interface AlarmActionsOptions extends Omit<Common<string[]>, 'doc' | 'default'> {
  /** Which alarms, for the doc: `the DLQ and queue-age alarms`. */
  readonly alarms: string;
  /** @default none('no one is notified: the alarms show in the console only') */
  readonly default?: None;
}

/**
 * The `alarmActions` input: up to five ARNs CloudWatch can notify (SNS topics, Lambda functions,
 * OpsItems, Incident Manager response plans), each checked at synth (and by the module's validation).
 * Notified when an alarm fires and when it clears.
 */
export function alarmActions(o: AlarmActionsOptions): Field<string[], false> {
  return strings({
    doc: `Who is told when ${o.alarms} fire and when they clear: up to ${MAX_ALARM_ACTIONS} ARNs CloudWatch can notify
(SNS topics, Lambda functions, Systems Manager OpsItems, Incident Manager response plans).`,
    see: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html',
    since: o.since,
    default: o.default ?? none('no one is notified: the alarms show in the console only'),
    maxItems: MAX_ALARM_ACTIONS,
    every: arnRule(ALARM_ACTION_ARN),
  }) as Field<string[], false>;
}

/**
 * The actions of an alarm: `alarm_actions` and `ok_actions` both, so the people told it fired are told it
 * cleared. Nothing when there are none (an empty list at plan, which the provider takes as none).
 */
export function notify(actions: readonly string[] | undefined): { alarmActions?: string[]; okActions?: string[] } {
  if (actions === undefined || actions === null) return {};
  if (known(actions) && actions.length === 0) return {};
  const list = known(actions) ? [...actions] : Token.asList(actions);
  return { alarmActions: list, okActions: list };
}

/**
 * The arguments every alarm of these constructs shares: above `threshold` within one minute (one 60 s
 * period), no data is not a breach, and the alarm actions told on alarm and on OK.
 */
export function aboveInAMinute(
  statistic: 'Sum' | 'Maximum',
  threshold: number,
  actions: readonly string[] | undefined,
): {
  statistic: string;
  period: number;
  evaluationPeriods: number;
  threshold: number;
  comparisonOperator: string;
  treatMissingData: string;
  alarmActions?: string[];
  okActions?: string[];
} {
  return {
    statistic,
    period: 60,
    evaluationPeriods: 1,
    threshold,
    comparisonOperator: 'GreaterThanThreshold',
    treatMissingData: 'notBreaching',
    ...notify(actions),
  };
}

/** The inputs of XraySamplingRules and XrayFaultGroup, described once: `props.ts`, the checks, the module variables and the README come from here. */
import { inRange, lengthOf, le } from '../core/expr';
import { decimal, flag, inputs, items, none, shape, stringMap, strings, text, whole } from '../core/inputs';
import type { SamplingRule, XrayFaultGroupProps, XraySamplingRulesProps } from './props';

/** The X-Ray API's limits, in one place (see the facts on sampling rules). */
export const SAMPLING_LIMITS = {
  name: 32,
  priority: { min: 1, max: 9999 },
  serviceName: 64,
  serviceType: 64,
  host: 64,
  httpMethod: 10,
  urlPath: 128,
  resourceArn: 500,
  attributes: 5,
  attributeKeyOrValue: 32,
} as const;

const L = SAMPLING_LIMITS;

/** A matcher: `*` (any characters) and `?` (one character) are wildcards; `'*'` matches everything. */
const matcher = (doc: string, max: number) =>
  text({ doc: `${doc}, at most ${max} characters.`, length: [1, max], default: '*' });

const attributeText = {
  rule: `1..${L.attributeKeyOrValue} characters long`,
  test: (v: string) => inRange(lengthOf(v), 1, L.attributeKeyOrValue),
};

export const SAMPLING_RULE = shape<SamplingRule>()({
  typeName: 'SamplingRule',
  doc: 'One X-Ray sampling rule. String matchers take `*` (any characters) and `?` (one character).',
  fields: {
    name: text({
      doc: `Unique name, 1..${L.name} letters, digits, hyphens and underscores. Names are per account and region.`,
      pattern: /^[A-Za-z0-9_-]{1,32}$/,
      rule: `1..${L.name} letters, digits, hyphens and underscores`,
    }),
    priority: whole({
      doc: `${L.priority.min}..${L.priority.max}, unique across the rules; lower is evaluated first (the default rule is 10000).`,
      min: L.priority.min,
      max: L.priority.max,
    }),
    fixedRate: decimal({ doc: 'The share of matching requests sampled beyond the reservoir, 0..1.', min: 0, max: 1 }),
    reservoirSize: whole({
      doc: 'Matching requests sampled per second before `fixedRate` applies, a whole number >= 0.',
      min: 0,
      max: 2147483647,
    }),
    serviceName: matcher('Service name to match', L.serviceName),
    serviceType: matcher(
      'Service type to match (`AWS::ApiGateway::Stage`, `AWS::Lambda::Function`, ...)',
      L.serviceType,
    ),
    host: matcher('Host to match', L.host),
    httpMethod: matcher('HTTP method to match', L.httpMethod),
    urlPath: matcher('URL path to match', L.urlPath),
    resourceArn: text({
      doc: `Resource ARN to match, at most ${L.resourceArn} characters. X-Ray SDKs apply only rules whose ARN is \`*\`.`,
      length: [1, L.resourceArn],
      default: '*',
    }),
    attributes: stringMap({
      doc: `Segment attributes to match: at most ${L.attributes}, keys and values 1..${L.attributeKeyOrValue} characters.`,
      default: none('none'),
      rules: [{ rule: `at most ${L.attributes} attributes`, test: (v) => le(lengthOf(v), L.attributes) }],
      keys: attributeText,
      values: attributeText,
    }),
  },
});

export const XRAY_SAMPLING_RULES_INPUTS = inputs<XraySamplingRulesProps>()(
  {
    rules: items({
      doc: 'The rules, at least one; names and priorities unique.',
      shape: SAMPLING_RULE,
      nonEmpty: true,
      unique: [
        { key: (r) => r.name, field: 'name' },
        { key: (r) => r.priority, field: 'priority' },
      ],
    }),
  },
  { kind: 'XraySamplingRules', typeName: 'XraySamplingRulesProps', doc: 'Props of {@link XraySamplingRules}.' },
);

export const XRAY_FAULT_GROUP_INPUTS = inputs<XrayFaultGroupProps>()(
  {
    groupName: text({
      doc: 'The group name, 1..32 letters, digits, `.`, `_`, `-`, `#`.',
      pattern: /^[A-Za-z0-9._#-]{1,32}$/,
      rule: '1..32 letters, digits, ".", "_", "-", "#"',
    }),
    serviceNames: strings({
      doc: 'The X-Ray service names of the app (function names, `<api>/<stage>`), at least one.',
      nonEmpty: true,
    }),
    notifications: flag({ doc: 'Send Insights notifications to EventBridge.', default: false }),
  },
  { kind: 'XrayFaultGroup', typeName: 'XrayFaultGroupProps', doc: 'Props of {@link XrayFaultGroup}.' },
);

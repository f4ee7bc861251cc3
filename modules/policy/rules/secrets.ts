import { containersOf } from './compute';
import { Verdict, type PolicyRule } from '../types';
import { isExpression, obj, str, type Json } from '../values';

/** Names that say "this is a secret". */
const SECRET_NAME =
  /(pass(word|wd|phrase)?|secret|token|api[-_]?key|private[-_]?key|credential|auth|session[-_]?key|client[-_]?secret)/i;
/** Names that hold where a secret is, not the secret. */
const POINTER_NAME = /(_ARN|_ID|_NAME|_PATH|_PARAM(ETER)?|_URL|_ENDPOINT|_HEADER|_SOURCE|_KEY_ID)$/i;

/** Values that are secrets by their look, whatever the name. */
const SECRET_VALUE: [RegExp, string][] = [
  [/^(AKIA|ASIA)[0-9A-Z]{16}$/, 'an AWS access key ID'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/^gh[pousr]_[A-Za-z0-9]{30,}$/, 'a GitHub token'],
  [/^xox[abprs]-[A-Za-z0-9-]{10,}$/, 'a Slack token'],
  [/^sk_(live|test)_[A-Za-z0-9]{16,}$/, 'a Stripe key'],
  [/^eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}$/, 'a JSON web token'],
];

/** A value that points to a secret (an ARN, an SSM path, a reference) rather than holding one. */
const isPointer = (value: string): boolean =>
  value === '' ||
  /^arn:/.test(value) ||
  /^\/[\w./-]+$/.test(value) ||
  /^(true|false|\d+|none|disabled|enabled)$/i.test(value) ||
  /^\{\{resolve:(secretsmanager|ssm)/.test(value);

/**
 * References to a secret's value (anywhere in an expression, also inside jsondecode()): a Secrets
 * Manager secret, a generated password; an SSM parameter's value when the name says it is a secret.
 */
const SECRET_VALUE_REFERENCE =
  /(?:^|[^\w.])((?:module\.[\w-]+(?:\[[^\]]*\])?\.)*(?:data\.)?aws_secretsmanager_secret_version\.[\w-]+(?:\[[^\]]*\])?\.secret_(?:string|binary)|random_password\.[\w-]+(?:\[[^\]]*\])?\.(?:result|bcrypt_hash))\b/;
const PARAMETER_VALUE_REFERENCE =
  /(?:^|[^\w.])((?:data\.)?aws_ssm_parameter\.[\w-]+(?:\[[^\]]*\])?\.(?:value|insecure_value))\b/;

/** Why a name/value pair looks like a plaintext secret, or undefined. */
export function plaintextSecret(name: string, value: unknown): string | undefined {
  if (isExpression(value)) {
    // a reference is not plaintext, unless it copies a secret's value into the configuration
    const text = value as string;
    const copied =
      SECRET_VALUE_REFERENCE.exec(text)?.[1] ??
      (SECRET_NAME.test(name) && !POINTER_NAME.test(name) ? PARAMETER_VALUE_REFERENCE.exec(text)?.[1] : undefined);
    return copied
      ? `holds the value of ${copied}: the secret is copied in plain text into the configuration`
      : undefined;
  }
  if (typeof value !== 'string') return undefined;
  for (const [pattern, what] of SECRET_VALUE) if (pattern.test(value.trim())) return `holds ${what} in plain text`;
  if (SECRET_NAME.test(name) && !POINTER_NAME.test(name) && !isPointer(value.trim())) {
    return `looks like a secret (by its name) and is stored in plain text`;
  }
  return undefined;
}

export const secretRules: PolicyRule[] = [
  {
    id: 'TS-SECRET-1',
    severity: 'error',
    title: 'No plaintext secrets in environment variables or String parameters',
    fix: 'Store the secret in Secrets Manager or an SSM SecureString and pass its ARN or name; read it at run time (or use ECS secrets / valueFrom).',
    appliesTo: ['aws_lambda_function', 'aws_ssm_parameter', 'aws_ecs_task_definition'],
    refs: { checkov: 'CKV_AWS_45 / CKV_AWS_337 (related)', securityHub: 'ECS.8' },
    blindSpots:
      'Secrets with innocent names and no known format; secrets in code or in the state file; a secret passed through a local or a module output.',
    check: (r, s) => {
      const verdict = new Verdict();
      if (r.type === 'aws_lambda_function') {
        verdict.try(() => {
          const variables = obj(s.value(r, 'environment.variables'), 'environment.variables');
          for (const [name, value] of Object.entries(variables)) {
            const why = plaintextSecret(name, s.resolve(value));
            if (why) verdict.add(`environment.variables.${name}`, why);
          }
        });
      } else if (r.type === 'aws_ssm_parameter') {
        verdict.try(() => {
          const type = str(s.value(r, 'type'), 'type');
          if (type === 'SecureString') return;
          const name = str(s.value(r, 'name'), 'name') ?? '';
          for (const field of ['value', 'insecure_value']) {
            const why = plaintextSecret(name, s.value(r, field));
            if (why) verdict.add(field, `${name} ${why} (type ${type ?? 'String'})`);
          }
        });
      } else {
        verdict.try(() =>
          containersOf(r, s).forEach((c, i) => {
            const at = `container_definitions[${typeof c.name === 'string' ? c.name : i}].environment`;
            const env = Array.isArray(c.environment) ? (c.environment as Json[]) : [];
            for (const entry of env) {
              const why = plaintextSecret(String(entry?.name ?? ''), s.resolve(entry?.value));
              if (why) verdict.add(`${at}.${String(entry?.name)}`, why);
            }
          }),
        );
      }
      return verdict.result();
    },
  },
];

/**
 * Renders an ADOT ECS task definition template (the upstream `ecs-ec2-sidecar.json` format). Pure.
 *
 * The format is JSON with `{{placeholders}}`. `{{command}}` stands unquoted inside a JSON array
 * (`"command": [ {{command}} ]`), so a template is not JSON until rendered: substitution must supply
 * JSON. Every value is JSON-escaped, so a quote in an ARN or a command can neither break the document
 * nor inject fields.
 */
import { createScanner, parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** The values a template's placeholders take. */
export interface AdotTemplateValues {
  /** `{{region}}`: the region the collector runs in. */
  readonly region: string;
  /** `{{ecsTaskRoleArn}}`: the task role's ARN. */
  readonly taskRoleArn: string;
  /** `{{ecsTaskExecutionRoleArn}}` (or the docs' `{{ecsExecutionRoleArn}}`): the execution role's ARN. */
  readonly executionRoleArn: string;
  /** The collector's command: the array's items, in order. At least one. */
  readonly command: readonly string[];
}

/** The fields of a task definition the renderer and the construct read; everything else passes through. */
export interface TaskDefinitionTemplate {
  /** The task definition family (the construct sets `<clusterName>-adot-collector`). */
  family?: string;
  /** The task role's ARN. */
  taskRoleArn?: string;
  /** The execution role's ARN. */
  executionRoleArn?: string;
  /** `bridge`, `host`, `awsvpc` or `none` (the construct uses `bridge`). */
  networkMode?: string;
  /** Launch types, e.g. `['EC2']`. */
  requiresCompatibilities?: string[];
  /** Task-level CPU units, as a string (`'1024'`). */
  cpu?: string;
  /** Task-level memory, MiB, as a string (`'2048'`). */
  memory?: string;
  /** The containers; one is the collector, named `aws-otel-collector`. */
  containerDefinitions: ContainerDefinition[];
  [field: string]: unknown;
}

/** One container of a task definition: the fields the construct reads; everything else passes through. */
export interface ContainerDefinition {
  /** The container's name. */
  name: string;
  /** The image reference. */
  image?: string;
  /** The command's arguments. */
  command?: string[];
  /** The log driver and its options (`awslogs-group`, `awslogs-region`, ...). */
  logConfiguration?: { logDriver: string; options?: Record<string, string>; [field: string]: unknown };
  [field: string]: unknown;
}

/** A template that cannot be rendered: the message says what is wrong and where. */
export class AdotTemplateError extends Error {
  constructor(message: string) {
    super(`ADOT task template: ${message}`);
    this.name = 'AdotTemplateError';
  }
}

/** The placeholders a template may use, and which value fills each. `ecsExecutionRoleArn` is the docs' alias. */
const PLACEHOLDERS: Record<string, keyof AdotTemplateValues> = {
  region: 'region',
  ecsTaskRoleArn: 'taskRoleArn',
  ecsTaskExecutionRoleArn: 'executionRoleArn',
  ecsExecutionRoleArn: 'executionRoleArn',
  command: 'command',
};

const PLACEHOLDER = /\{\{\s*([^{}\s]*)\s*\}\}/g;

/** Line and column (1-based) of an offset in a text. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/**
 * The string literals of `text` as `[opening quote, closing quote]` offsets, as jsonc-parser's JSON
 * scanner tokenizes it: a template is not JSON before rendering (`[ {{command}} ]`), and the scanner
 * reads it token by token without parsing (a placeholder outside a string is a few unknown tokens).
 */
function stringSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const scanner = createScanner(text, true);
  // The token kinds are a const enum (not importable with isolatedModules): a string token is the one starting with a quote.
  while (scanner.getPosition() < text.length) {
    scanner.scan();
    const offset = scanner.getTokenOffset();
    if (text[offset] === '"') spans.push([offset, offset + scanner.getTokenLength() - 1]);
  }
  return spans;
}

/** jsonc-parser's error codes, in words. */
const SYNTAX_ERRORS: Record<string, string> = {
  InvalidSymbol: 'unexpected',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a double-quoted property name',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':'",
  CommaExpected: "expected ','",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'expected the end of the document',
  InvalidCommentToken: 'comments are not JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'incomplete number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape',
  InvalidCharacter: 'control character in a string',
};

/**
 * Where and why `text` (which JSON.parse refused) is not JSON: the first error jsonc-parser reports in
 * strict mode, with its line and column and the text found there.
 */
function syntaxError(text: string, v8Message: string): string {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return v8Message; // not seen: jsonc-parser's strict mode refuses all JSON.parse refuses
  const found = text.slice(first.offset, first.offset + Math.max(first.length, 1));
  const got =
    found === '' ? 'the end of the document' : JSON.stringify(found.length > 24 ? `${found.slice(0, 24)}...` : found);
  const what = SYNTAX_ERRORS[printParseErrorCode(first.error)] ?? printParseErrorCode(first.error);
  return `at ${lineColumn(text, first.offset)}: ${what === 'unexpected' ? `unexpected ${got}` : `${what}, got ${got}`}`;
}

/** Renders `templateText` with `values`; returns the task definition object. Throws {@link AdotTemplateError}. */
export function renderAdotTaskTemplate(templateText: string, values: AdotTemplateValues): TaskDefinitionTemplate {
  if (typeof templateText !== 'string' || templateText.trim() === '')
    throw new AdotTemplateError('the template is empty');

  const matches = [...templateText.matchAll(PLACEHOLDER)];
  const unknown = [...new Set(matches.map((m) => m[1]).filter((name) => !(name in PLACEHOLDERS)))];
  if (unknown.length > 0) {
    throw new AdotTemplateError(
      `unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `{{${u}}}`).join(', ')}; known: ${Object.keys(
        PLACEHOLDERS,
      )
        .map((p) => `{{${p}}}`)
        .join(', ')}`,
    );
  }
  for (const name of new Set(matches.map((m) => m[1]))) {
    const key = PLACEHOLDERS[name];
    const value = values[key];
    if (key === 'command') {
      if (!Array.isArray(value) || value.length === 0)
        throw new AdotTemplateError('{{command}} needs a non-empty command list');
      if (value.some((item) => typeof item !== 'string'))
        throw new AdotTemplateError('{{command}} items must be strings');
    } else if (typeof value !== 'string' || value === '') {
      throw new AdotTemplateError(`placeholder {{${name}}} is unfilled: ${key} is empty`);
    }
  }

  const spans = stringSpans(templateText);
  const enclosing = (offset: number) => spans.find(([open, close]) => open < offset && offset < close);
  let out = '';
  let cursor = 0;
  for (const m of matches) {
    const start = m.index as number;
    const end = start + m[0].length;
    const key = PLACEHOLDERS[m[1]];
    const span = enclosing(start);
    if (key === 'command') {
      const items = (values.command as string[]).map((c) => JSON.stringify(c)).join(', ');
      if (!span) {
        out += templateText.slice(cursor, start) + items;
        cursor = end;
      } else if (span[0] === start - 1 && span[1] === end) {
        // The Fargate sibling's form, `["{{command}}"]`: the quoted placeholder becomes the items.
        out += templateText.slice(cursor, span[0]) + items;
        cursor = span[1] + 1;
      } else {
        throw new AdotTemplateError(
          `{{command}} must stand alone in its array, not inside other text (${lineColumn(templateText, start)})`,
        );
      }
      continue;
    }
    const value = values[key] as string;
    // Inside a string literal: the escaped characters; outside: a whole JSON string.
    out += templateText.slice(cursor, start) + (span ? JSON.stringify(value).slice(1, -1) : JSON.stringify(value));
    cursor = end;
  }
  out += templateText.slice(cursor);

  let parsed: unknown;
  try {
    parsed = JSON.parse(out);
  } catch (e) {
    throw new AdotTemplateError(`not valid JSON after rendering, ${syntaxError(out, (e as Error).message)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new AdotTemplateError('the rendered template is not a JSON object');
  const task = parsed as TaskDefinitionTemplate;
  if (!Array.isArray(task.containerDefinitions) || task.containerDefinitions.length === 0) {
    throw new AdotTemplateError('the rendered template has no containerDefinitions');
  }
  return task;
}

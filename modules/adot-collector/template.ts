/**
 * Renders an ADOT ECS task definition template (the upstream `ecs-ec2-sidecar.json` format). Pure.
 *
 * The format is JSON with `{{placeholders}}`. `{{command}}` stands unquoted inside a JSON array
 * (`"command": [ {{command}} ]`), so a template is not JSON until rendered: substitution must supply
 * JSON. Every value is JSON-escaped, so a quote in an ARN or a command can neither break the document
 * nor inject fields.
 */

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
 * For each offset of `text`, whether it lies inside a JSON string literal, as the scanner of a
 * JSON parser would see it (placeholders outside strings are skipped over as opaque).
 */
function stringSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      spans.push([start, i]); // opening and closing quote offsets
    }
    i++;
  }
  return spans;
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
    const message = (e as Error).message;
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : jsonErrorOffset(out);
    throw new AdotTemplateError(
      `not valid JSON after rendering, at ${lineColumn(out, offset)}: ${message.replace(/^(Unexpected token '.+?'), .*$/s, '$1')}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new AdotTemplateError('the rendered template is not a JSON object');
  const task = parsed as TaskDefinitionTemplate;
  if (!Array.isArray(task.containerDefinitions) || task.containerDefinitions.length === 0) {
    throw new AdotTemplateError('the rendered template has no containerDefinitions');
  }
  return task;
}

/**
 * The offset of the first JSON syntax error in `text` (V8's messages give it only for some errors).
 * A minimal recursive-descent scanner; it only runs once JSON.parse has failed.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => (text.startsWith(word, i) ? (i += word.length) : fail());
  const string = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] < ' ') fail();
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail();
    i += (m as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else number();
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (offset) {
    return offset as number;
  }
}

/**
 * Route helpers: path parsing, ids, model names, source ARNs. Each is token-aware where a module needs
 * it: it computes at synth when the path is known, and writes the same computation in Terraform's
 * language when the path is a module variable (the two forms side by side, one behaviour).
 */
import { Token, type IResolvable } from 'cdktf';
import { hcl, known } from '../core/expr';

/** The segments of a route path; `/` has none. */
export function pathSegments(path: string): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}

/** A construct-id-safe, readable form of a path: `/v1/orders/{id}` -> `v1-orders-id`, `/` -> `root`. */
export function pathId(path: string): string {
  const id = path.replace(/[{}+]/g, '').split('/').filter(Boolean).join('-');
  return id === '' ? 'root' : id;
}

/** An API Gateway model name (alphanumeric only): POST /chat -> `PostChatBody`. */
export function modelName(method: string, path: string): string {
  if (known(method, path)) {
    const words = [method.toLowerCase(), ...(path.match(/[A-Za-z0-9]+/g) ?? [])];
    return `${words.map((w) => w[0].toUpperCase() + w.slice(1)).join('')}Body`;
  }
  return Token.asString(
    hcl`"\${title(lower(${method}))}\${join("", [for w in regexall("[A-Za-z0-9]+", ${path}) : title(w)])}Body"`,
  );
}

/** The `source_arn` suffix of a Lambda permission for one route: `/*` stage, method, path with params as `*`. */
export function sourceArnSuffix(method: string, path: string): string {
  if (known(method, path)) return `/*/${method === 'ANY' ? '*' : method}${path.replace(/\{[^}]+\}/g, '*')}`;
  return Token.asString(hcl`"/*/\${${method} == "ANY" ? "*" : ${method}}\${replace(${path}, "/[{][^}]+[}]/", "*")}"`);
}

/**
 * The resource paths of one depth the routes need, each once: depth 2 of `/a/b/c` and `/a/d` gives
 * `/a/b`, `/a/d`. A list at synth; a Terraform set at plan.
 */
export function pathsAtDepth(paths: readonly string[], depth: number): string[] {
  if (known(paths)) {
    const out = new Set<string>();
    for (const p of paths) {
      const segments = pathSegments(p);
      if (segments.length >= depth) out.add(`/${segments.slice(0, depth).join('/')}`);
    }
    return [...out];
  }
  return Token.asList(
    hcl`distinct(flatten([for p in ${paths} : p != "/" && length(split("/", p)) > ${depth} ? [join("/", slice(split("/", p), 0, ${depth + 1}))] : []]))`,
  );
}

/** The number of segments of a path: `/` is 0, `/a/b` is 2. */
export function pathDepth(path: string): number {
  if (known(path)) return pathSegments(path).length;
  return Token.asNumber(hcl`(${path} == "/" ? 0 : length(split("/", ${path})) - 1)`);
}

/** The path of a resource's parent: `/a/b` -> `/a`. Only for paths of two segments or more. */
export function parentPath(path: string): string {
  if (known(path)) return path.slice(0, path.lastIndexOf('/'));
  return Token.asString(hcl`join("/", slice(split("/", ${path}), 0, length(split("/", ${path})) - 1))`);
}

/** The last segment of a path: what a resource's `path_part` is. */
export function lastSegment(path: string): string {
  if (known(path)) return path.slice(path.lastIndexOf('/') + 1);
  return Token.asString(hcl`element(split("/", ${path}), length(split("/", ${path})) - 1)`);
}

/** A path segment that is a path variable: `{id}`, or greedy `{proxy+}`. */
const isVariable = (segment: string) => segment.startsWith('{');

/** Every path a route needs, itself and each of its prefixes, each once: `/a/b` needs `/a` and `/a/b`. */
function pathsWithPrefixes(paths: readonly string[]): Map<string, number> {
  const firstRoute = new Map<string, number>();
  paths.forEach((p, route) => {
    const segments = pathSegments(p);
    if (!firstRoute.has(p)) firstRoute.set(p, route);
    for (let depth = 1; depth < segments.length; depth++) {
      const prefix = `/${segments.slice(0, depth).join('/')}`;
      if (!firstRoute.has(prefix)) firstRoute.set(prefix, route);
    }
  });
  return firstRoute;
}

/** A route path API Gateway (or Terraform) would refuse next to the others: which route, and why. */
export interface PathConflict {
  /** The index of the route whose path conflicts with an earlier one. */
  readonly route: number;
  /** What the path must be, naming the earlier route: `a path with one variable under "/users" (...)`. */
  readonly rule: string;
}

/**
 * The first route path that cannot live beside the earlier ones, or undefined:
 * - two path variables under one parent (`/users/{id}` and `/users/{name}`, or `{id}` and `{proxy+}`):
 *   API Gateway allows one variable child per resource;
 * - two paths whose resources would get one Terraform name (`/a-b` and `/a/b` are both `a-b`, `/{id}` and
 *   `/id` both `id`, `/` and `/root` both `root`).
 * Paths given are each valid on their own (the path pattern holds).
 */
export function pathConflict(paths: readonly string[]): PathConflict | undefined {
  const all = pathsWithPrefixes(paths);
  const variableUnder = new Map<string, [string, number]>();
  const byName = new Map<string, [string, number]>();
  for (const [p, route] of all) {
    if (p !== '/') {
      const parent = p.slice(0, p.lastIndexOf('/')) || '/';
      const last = lastSegment(p);
      const earlier = variableUnder.get(parent);
      if (isVariable(last) && earlier && earlier[0] !== last)
        return {
          route,
          rule: `a path with at most one path variable under ${JSON.stringify(parent)} (API Gateway allows one; routes[${earlier[1]}] puts ${JSON.stringify(earlier[0])} there)`,
        };
      if (isVariable(last) && !earlier) variableUnder.set(parent, [last, route]);
    }
    const name = pathId(p).replace(/[^A-Za-z0-9_-]/g, '_');
    const same = byName.get(name);
    if (same && same[0] !== p)
      return {
        route,
        rule: `a path whose Terraform name differs from every other path's (${JSON.stringify(p)} and ${JSON.stringify(same[0])} of routes[${same[1]}] are both named "${name}")`,
      };
    if (!same) byName.set(name, [p, route]);
  }
  return undefined;
}

/**
 * At plan: true when no two path variables share a parent, over every prefix of every route path (the
 * Terraform form of {@link pathConflict}'s first rule; Terraform names resources by path, so the second
 * cannot happen there).
 */
export function oneVariablePerParentHcl(paths: string[]): IResolvable {
  const all = hcl`distinct(flatten([for p in ${paths} : [for i in range(2, length(split("/", p)) + 1) : join("/", slice(split("/", p), 0, i))] if p != "/"]))`;
  return hcl`alltrue([for parent, vars in { for rp in ${all} : join("/", slice(split("/", rp), 0, length(split("/", rp)) - 1)) => element(split("/", rp), length(split("/", rp)) - 1)... if startswith(element(split("/", rp), length(split("/", rp)) - 1), "{") } : length(distinct(vars)) <= 1])`;
}

/** The JSON access log format: one line per request, with the X-Ray trace id. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  xrayTraceId: '$context.xrayTraceId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  integrationLatency: '$context.integrationLatency',
  responseLatency: '$context.responseLatency',
  apiKeyId: '$context.identity.apiKeyId',
  errorMessage: '$context.error.message',
  validationError: '$context.error.validationErrorString',
});

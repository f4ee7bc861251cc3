/** Pure route helpers: path parsing, ids, source ARNs. No cdktf. */

const SEGMENT = /^([A-Za-z0-9._-]+|\{[A-Za-z0-9_]+\+?\})$/;

/** The segments of a route path, or an error sentence. `/` has none. */
export function pathSegments(path: string): string[] | string {
  if (typeof path !== 'string' || !path.startsWith('/')) return 'a path starting with "/"';
  if (path === '/') return [];
  const segments = path.slice(1).split('/');
  for (const s of segments) {
    if (!SEGMENT.test(s))
      return 'a path of segments of letters, digits, ".", "_", "-" or "{param}", with no empty segment or trailing "/"';
  }
  return segments;
}

/** A construct-id-safe, readable form of a path: `/v1/orders/{id}` -> `v1-orders-id`, `/` -> `root`. */
export function pathId(path: string): string {
  const id = path.replace(/[{}+]/g, '').split('/').filter(Boolean).join('-');
  return id === '' ? 'root' : id;
}

/** An API Gateway model name (alphanumeric only): POST /chat -> `PostChatBody`. */
export function modelName(method: string, path: string): string {
  const words = [method.toLowerCase(), ...path.replace(/[{}+]/g, '').split(/[/._-]/)].filter(Boolean);
  return `${words.map((w) => w[0].toUpperCase() + w.slice(1)).join('')}Body`;
}

/** The `source_arn` suffix of a Lambda permission for one route: `/*` stage, method, path with params as `*`. */
export function sourceArnSuffix(method: string, path: string): string {
  const m = method === 'ANY' ? '*' : method;
  const p = path.replace(/\{[^}]+\}/g, '*');
  return `/*/${m}${p}`;
}

/** Every ancestor path a route needs a resource for: `/a/b/c` -> `/a`, `/a/b`, `/a/b/c`. */
export function resourcePaths(segments: string[]): string[] {
  return segments.map((_, i) => `/${segments.slice(0, i + 1).join('/')}`);
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

/**
 * A loopback stand-in for the three AWS read calls a `terraform plan` of our stacks makes, so a real
 * plan runs with no AWS account:
 *   sts:GetCallerIdentity            query protocol (form body, XML answer)
 *   ec2:DescribeAvailabilityZones    query protocol (form body, XML answer)
 *   ssm:GetParameter                 JSON 1.1 (`X-Amz-Target: AmazonSSM.GetParameter`)
 * Any other call is answered with an error naming it (service and action) and recorded in
 * `unanswered`, so the plan fails loudly instead of planning against invented data.
 *
 * It listens on 127.0.0.1 on a free port the OS picks, and closes itself after `lifetimeMs` even if
 * nobody calls `close()`. Answers are fixed, readable stand-ins (account 123456789012, AMI
 * ami-0123456789abcdef0): a plan against them shows the shape of a change, not a real account's ids.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The account id every answer uses (AWS's documentation account). */
export const STAND_IN_ACCOUNT = '123456789012';
/** What a plan against the stand-in reads for the ECS-optimized AMI and any other `/aws/service/.../image_id`. */
export const STAND_IN_AMI = 'ami-0123456789abcdef0';
/** The calls the stand-in answers, as `service:Action`. */
export const ANSWERED = ['sts:GetCallerIdentity', 'ec2:DescribeAvailabilityZones', 'ssm:GetParameter'] as const;

export interface AwsCall {
  /** The signing service from the request's SigV4 credential scope, e.g. `ec2`. */
  readonly service: string;
  /** The signing region, e.g. `us-west-2`. */
  readonly region: string;
  /** The API action, e.g. `DescribeAvailabilityZones`; for REST calls `METHOD /path`. */
  readonly action: string;
}

export interface StandIn {
  /** `http://127.0.0.1:<port>`: every endpoint the provider uses. */
  readonly url: string;
  /** Every call answered, in order. */
  readonly calls: readonly AwsCall[];
  /** Every call the stand-in refused (anything not in ANSWERED), in order. */
  readonly unanswered: readonly AwsCall[];
  /** Stops listening and drops open connections. Safe to call twice. */
  close(): Promise<void>;
}

export interface StandInOptions {
  /** The server closes itself after this long, whatever happens. @default 600000 (10 minutes) */
  readonly lifetimeMs?: number;
}

/** `Credential=AKID/20260101/us-west-2/ec2/aws4_request` -> region and service. */
export function signingScope(authorization: string | undefined): { region: string; service: string } {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return match ? { region: match[1], service: match[2] } : { region: 'unknown', service: 'unknown' };
}

const DIRECTIONS: Record<string, string> = {
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  central: 'c',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
};

/** Three available zones `<region>a..c`, with zone ids shaped like AWS's (`usw2-az1`). */
export function availabilityZones(region: string): { name: string; id: string }[] {
  const [area = region, direction = '', number = ''] = region.split('-');
  const abbreviation = `${area}${DIRECTIONS[direction] ?? direction.charAt(0)}${number}`;
  return ['a', 'b', 'c'].map((letter, i) => ({ name: `${region}${letter}`, id: `${abbreviation}-az${i + 1}` }));
}

/** The public SSM parameters the stand-in knows, by name pattern. */
function parameterValue(name: string): string | undefined {
  if (/^\/aws\/service\/.*\/image_id$/.test(name)) return STAND_IN_AMI;
  return undefined;
}

const xmlEscape = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);

/** `Filter.1.Name=state&Filter.1.Value.1=available` -> { state: ['available'] }. */
function queryFilters(form: URLSearchParams): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  for (const [key, value] of form) {
    const name = /^Filter\.(\d+)\.Name$/.exec(key);
    if (!name) continue;
    const values: string[] = [];
    for (const [k, v] of form) if (k.startsWith(`Filter.${name[1]}.Value.`)) values.push(v);
    filters.set(value, values);
  }
  return filters;
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const requestId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function queryError(service: string, code: string, message: string, id: string): Answer {
  // EC2's query errors have their own envelope; STS (and the other query services) use ErrorResponse.
  const body =
    service === 'ec2'
      ? `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error></Errors><RequestID>${id}</RequestID></Response>`
      : `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`;
  return { status: 400, contentType: 'text/xml', body };
}

function jsonError(code: string, message: string): Answer {
  return { status: 400, contentType: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: code, message }) };
}

const notAnswered = (call: AwsCall) =>
  `offline plan stand-in: ${call.service}:${call.action} is not answered (only ${ANSWERED.join(', ')}); ` +
  'a plan that needs it cannot run offline';

/** The answer to one request, and the call it was. Pure: exported for tests. */
export function answer(
  headers: http.IncomingHttpHeaders,
  method: string,
  url: string,
  body: string,
  n: number,
): { call: AwsCall; answered: boolean; answer: Answer } {
  const { region, service } = signingScope(headers.authorization);
  const id = requestId(n);
  const target = headers['x-amz-target'];
  if (typeof target === 'string') {
    const action = target.slice(target.indexOf('.') + 1);
    const call = { service, region, action };
    if (service === 'ssm' && action === 'GetParameter') {
      const name = String((JSON.parse(body || '{}') as { Name?: unknown }).Name ?? '');
      const value = parameterValue(name);
      if (value === undefined)
        return {
          call,
          answered: true,
          answer: jsonError(
            'ParameterNotFound',
            `offline plan stand-in: no value for SSM parameter ${name} (it knows /aws/service/.../image_id)`,
          ),
        };
      const parameter = {
        ARN: `arn:aws:ssm:${region}::parameter${name}`,
        DataType: name.endsWith('/image_id') ? 'aws:ec2:image' : 'text',
        LastModifiedDate: 1767225600,
        Name: name,
        Type: 'String',
        Value: value,
        Version: 1,
      };
      return {
        call,
        answered: true,
        answer: {
          status: 200,
          contentType: 'application/x-amz-json-1.1',
          body: JSON.stringify({ Parameter: parameter }),
        },
      };
    }
    return { call, answered: false, answer: jsonError('UnsupportedOperation', notAnswered(call)) };
  }
  const form = new URLSearchParams(method === 'POST' ? body : url.slice(url.indexOf('?') + 1));
  const queryAction = form.get('Action');
  const call = { service, region, action: queryAction ?? `${method} ${url.split('?')[0]}` };
  if (service === 'sts' && queryAction === 'GetCallerIdentity') {
    const xml = [
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
      '<GetCallerIdentityResult>',
      `<Arn>arn:aws:iam::${STAND_IN_ACCOUNT}:user/offline-plan</Arn>`,
      '<UserId>AIDAOFFLINEPLANSTANDIN</UserId>',
      `<Account>${STAND_IN_ACCOUNT}</Account>`,
      '</GetCallerIdentityResult>',
      `<ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata>`,
      '</GetCallerIdentityResponse>',
    ].join('');
    return { call, answered: true, answer: { status: 200, contentType: 'text/xml', body: xml } };
  }
  if (service === 'ec2' && queryAction === 'DescribeAvailabilityZones') {
    const zones = availabilityZones(region).map((z) => ({
      'zone-name': z.name,
      'zone-id': z.id,
      state: 'available',
      'region-name': region,
      'zone-type': 'availability-zone',
      'opt-in-status': 'opt-in-not-required',
      'group-name': region,
    }));
    let selected = zones;
    for (const [name, values] of queryFilters(form)) {
      if (!(name in zones[0]))
        return {
          call,
          answered: false,
          answer: queryError(service, 'InvalidParameterValue', `offline plan stand-in: unknown filter ${name}`, id),
        };
      selected = selected.filter((z) => values.includes(z[name as keyof (typeof zones)[0]]));
    }
    for (const key of ['ZoneName', 'ZoneId']) {
      const wanted = [...form].filter(([k]) => k.startsWith(`${key}.`)).map(([, v]) => v);
      if (wanted.length > 0)
        selected = selected.filter((z) => wanted.includes(key === 'ZoneName' ? z['zone-name'] : z['zone-id']));
    }
    const items = selected
      .map(
        (z) =>
          `<item><zoneName>${z['zone-name']}</zoneName><zoneState>available</zoneState><regionName>${region}</regionName>` +
          `<zoneId>${z['zone-id']}</zoneId><zoneType>availability-zone</zoneType><optInStatus>opt-in-not-required</optInStatus>` +
          `<groupName>${region}</groupName><networkBorderGroup>${region}</networkBorderGroup><messageSet/></item>`,
      )
      .join('');
    const xml =
      '<DescribeAvailabilityZonesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">' +
      `<requestId>${id}</requestId><availabilityZoneInfo>${items}</availabilityZoneInfo></DescribeAvailabilityZonesResponse>`;
    return { call, answered: true, answer: { status: 200, contentType: 'text/xml', body: xml } };
  }
  return { call, answered: false, answer: queryError(service, 'UnsupportedOperation', notAnswered(call), id) };
}

/** Starts the stand-in on 127.0.0.1 and a free port. */
export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  const calls: AwsCall[] = [];
  const unanswered: AwsCall[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const result = answer(req.headers, req.method ?? 'GET', req.url ?? '/', Buffer.concat(chunks).toString(), ++n);
      (result.answered ? calls : unanswered).push(result.call);
      res.writeHead(result.answer.status, {
        'content-type': result.answer.contentType,
        'x-amzn-requestid': requestId(n),
      });
      res.end(result.answer.body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      clearTimeout(timer);
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };
  const timer = setTimeout(() => void close(), options.lifetimeMs ?? 600_000);
  timer.unref();
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, calls, unanswered, close };
}

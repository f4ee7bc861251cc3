/**
 * `npm run trace:demo [-- options]`: one chat request through a synthesized stack's deployment zips,
 * shown as a terminal waterfall and an HTML report (service map and waterfall), optionally exported
 * over OTLP. Run `npm run trace:demo -- --help` for the options.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { findChromium, INSTALL_HINT, screenshotReport } from './chromium';
import { DemoError, runDemo, type DemoResult } from './demo';
import { renderReport } from './html';
import { exportOtlp, tracesUrl } from './otlp';
import { buildServiceMap } from './service-map';
import { StackError, newestSourceMtime, readStack, type SynthesizedStack } from './stack';
import { colorEnabled, formatMs, renderWaterfall } from './waterfall';

const root = path.resolve(__dirname, '..');

const USAGE = `Usage: npm run trace:demo [-- options]

Runs one POST /chat request end to end through the synthesized deployment zips of a stack
(run \`npm run synth\` first): API Gateway -> chatbot (Bedrock, SQS) -> consumer (linked trace).
AWS is stood in for on 127.0.0.1; the functions are the real bundles under OpenTelemetry.

Options:
  --fail               turn the chatbot's failure switch on (SIMULATE_FAILURE=true)
  --otlp <url>         also export the spans over OTLP/HTTP (protobuf), e.g. http://localhost:4318
  --stack <name>       the stack to run (default: the first one synthesized, e.g. dev)
  --out <file.html>    where to write the HTML report (default: .build/trace-demo/<stack>[-fail].html)
  --screenshot <png>   also save a PNG of the report, rendered by headless Chromium
  --question <text>    what to ask (default: "Where is my parcel?")
  --outdir <dir>       the synth output (default: $CDKTF_OUTDIR or cdktf.out)
  --logs               print what the functions logged
  --color, --no-color  force colour on or off (default: on for a terminal, off with NO_COLOR)
  -h, --help           this text
`;

interface Cli {
  fail: boolean;
  otlp?: string;
  stack?: string;
  out?: string;
  screenshot?: string;
  question?: string;
  outdir: string;
  logs: boolean;
  color: boolean;
}

function parseCli(argv: string[], env: NodeJS.ProcessEnv): Cli | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      fail: { type: 'boolean', default: false },
      otlp: { type: 'string' },
      stack: { type: 'string' },
      out: { type: 'string' },
      screenshot: { type: 'string' },
      question: { type: 'string' },
      outdir: { type: 'string' },
      logs: { type: 'boolean', default: false },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (values.otlp !== undefined) tracesUrl(values.otlp); // fail on a bad URL before running anything
  return {
    fail: values.fail ?? false,
    otlp: values.otlp,
    stack: values.stack,
    out: values.out,
    screenshot: values.screenshot,
    question: values.question,
    outdir: path.resolve(values.outdir ?? env.CDKTF_OUTDIR ?? path.join(root, 'cdktf.out')),
    logs: values.logs ?? false,
    color: values['no-color'] ? false : values.color ? true : colorEnabled(process.stdout, env),
  };
}

/** One line per edge of the map: who called whom, how often, how long. */
export function mapLines(result: DemoResult): string[] {
  const map = buildServiceMap(result.spans);
  const name = new Map(map.nodes.map((n) => [n.id, n.name]));
  const faulted = map.nodes.filter((n) => n.outcome === 'fault').map((n) => n.name);
  return [
    ...map.edges.map((e) =>
      e.kind === 'link'
        ? `  ${name.get(e.from)} ⇢ ${name.get(e.to)}  (link, ${e.count} trace${e.count === 1 ? '' : 's'})`
        : `  ${name.get(e.from)} → ${name.get(e.to)}  (${e.count} call${e.count === 1 ? '' : 's'}, ${formatMs(e.averageMs ?? 0)})`,
    ),
    ...(faulted.length ? [`  faulted: ${faulted.join(', ')}`] : []),
  ];
}

function summaryLines(stack: SynthesizedStack, result: DemoResult, fail: boolean): string[] {
  const ran = result.invocations.map((i) => i.functionName);
  const fns = Object.values(stack.functions).filter((f) => ran.includes(f.functionName));
  return [
    `Stack ${stack.name}: ${result.route.method} ${result.route.path} on ${result.route.apiName}/${result.route.stageName}` +
      `${fail ? ', failure switch on' : ''}; API Gateway answered ${result.response.statusCode}.`,
    `Real: the deployment zips of ${fns.map((f) => `${f.functionName} (${path.relative(stack.dir, f.zipFile)})`).join(', ')}, ` +
      'run under the OpenTelemetry setup of the ADOT Lambda layer.',
    'Emulated: API Gateway (its span), SQS delivery to the consumer, and the AWS endpoints (loopback fakes).',
  ];
}

async function main(argv: string[]): Promise<number> {
  let cli: Cli | 'help';
  try {
    cli = parseCli(argv, process.env);
  } catch (e) {
    process.stderr.write(`trace:demo: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (cli === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const stack = readStack(cli.outdir, cli.stack);
  const sources = newestSourceMtime(path.join(root, 'handlers'));
  const synthesized = fs.statSync(path.join(stack.dir, 'cdk.tf.json')).mtimeMs;
  if (sources !== undefined && sources > synthesized) {
    process.stderr.write('trace:demo: handlers/ changed since the last synth; run `npm run synth` to trace them.\n');
  }

  const result = await runDemo({ stack, fail: cli.fail, question: cli.question });
  const out = process.stdout;
  out.write(`${summaryLines(stack, result, cli.fail)[0]}\n\n`);
  out.write(renderWaterfall(result.traces, { color: cli.color, columns: process.stdout.columns }));
  out.write(`\nService map:\n${mapLines(result).join('\n')}\n`);
  if (cli.logs) {
    for (const i of result.invocations) {
      out.write(`\n--- ${i.functionName} logs ---\n${i.stdout}${i.stderr}`);
    }
  }

  const html = path.resolve(
    cli.out ?? path.join(root, '.build', 'trace-demo', `${stack.name}${cli.fail ? '-fail' : ''}.html`),
  );
  fs.mkdirSync(path.dirname(html), { recursive: true });
  fs.writeFileSync(
    html,
    renderReport({
      title: `Trace demo: ${stack.name} ${result.route.method} ${result.route.path}${cli.fail ? ' (failure switch on)' : ''}`,
      summary: summaryLines(stack, result, cli.fail),
      traces: result.traces,
      generatedAt: new Date(),
    }),
  );
  out.write(`\nReport: ${pathToFileURL(html).href}\n`);

  if (cli.screenshot) {
    const chromium = findChromium();
    if (!chromium) {
      process.stderr.write(`trace:demo: no Chromium for --screenshot (${INSTALL_HINT}, or set CHROMIUM_PATH)\n`);
      return 1;
    }
    const png = path.resolve(cli.screenshot);
    fs.mkdirSync(path.dirname(png), { recursive: true });
    await screenshotReport(html, png, chromium);
    out.write(`Screenshot: ${png}\n`);
  }
  if (cli.otlp) {
    out.write(`Exporting ${result.spans.length} spans to ${tracesUrl(cli.otlp)} ...\n`);
    await exportOtlp(result.spans, cli.otlp);
    out.write(`Exported ${result.spans.length} spans to ${tracesUrl(cli.otlp)} (OTLP/HTTP, protobuf)\n`);
  }
  out.write(`Done in ${formatMs(result.durationMs)}.\n`);

  const crashed = result.invocations.find((i) => i.error);
  if (crashed) {
    process.stderr.write(
      `trace:demo: ${crashed.functionName} threw ${crashed.error?.name}: ${crashed.error?.message}\n`,
    );
  }
  if (!cli.fail && (result.response.statusCode >= 400 || crashed)) {
    process.stderr.write('trace:demo: the request failed without --fail: read the trace above (and --logs).\n');
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      // Our own errors say what to do; anything else keeps its stack for a bug report.
      const known = e instanceof StackError || e instanceof DemoError || /^OTLP export/.test((e as Error).message);
      process.stderr.write(`trace:demo: ${known ? (e as Error).message : ((e as Error).stack ?? String(e))}\n`);
      process.exitCode = 1;
    },
  );
}

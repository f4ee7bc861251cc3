/**
 * The trace:demo report as a person sees it: the newcomer flow (synth, then trace:demo, with and
 * without --fail) and the HTML rendered by headless Chromium. Asserts what is on the page and keeps
 * screenshots in .build/test-output/browser/. Run by __tests__/browser/run.ts (npm run test:browser).
 */
import { execFile } from 'node:child_process';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { findChromium, launchChromium, openReport } from '../../trace/chromium';

const root = path.resolve(__dirname, '..', '..');
const output = path.join(root, '.build', 'test-output', 'browser');
const RED = 'rgb(209, 50, 18)'; // --fault, #d13212
const GREEN = 'rgb(29, 129, 2)'; // --ok, #1d8102

function run(args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      args,
      { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 120000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

/** Center and box of an element, in page pixels. */
async function box(page: Page, selector: string) {
  const b = await page.locator(selector).first().boundingBox();
  assert.ok(b, `${selector} is not rendered`);
  return { ...b, cx: b.x + b.width / 2, cy: b.y + b.height / 2 };
}

const computed = (page: Page, selector: string, property: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);

describe('trace:demo report in Chromium', () => {
  const outdir = path.join(output, 'cdktf.out');
  const reports = { ok: path.join(output, 'trace-demo.html'), fail: path.join(output, 'trace-demo-fail.html') };
  let browser: Browser;

  before(async () => {
    fs.rmSync(output, { recursive: true, force: true });
    fs.mkdirSync(output, { recursive: true });
    // What a newcomer runs: npm run synth (here one stack, into this test's folder), then trace:demo.
    await run([path.join(root, 'scripts', 'app.cjs')], { CDKTF_OUTDIR: outdir, TRACED_ENVIRONMENTS: 'dev' });
    const demo = path.join(root, 'trace', 'main.ts');
    await run(['--import', 'tsx', demo, '--outdir', outdir, '--out', reports.ok]);
    await run(['--import', 'tsx', demo, '--outdir', outdir, '--out', reports.fail, '--fail']);
    browser = await launchChromium(findChromium() as string);
  });

  after(async () => {
    await browser?.close();
  });

  describe('a request that succeeds', () => {
    let page: Page;
    let requests: string[];

    before(async () => {
      ({ page, requests } = await openReport(browser, reports.ok));
      await page.screenshot({ path: path.join(output, 'trace-demo.png'), fullPage: true });
    });

    it('loads nothing from anywhere: the page is self-contained', () => {
      assert.deepEqual(requests, []);
    });

    it("shows the tutorial's services as map nodes, all green", async () => {
      const names = await page.locator('svg.map g.node text.name').allTextContents();
      const tutorial = ['client', 'dev-chatbot/prod', 'dev-chatbot', 'Bedrock agent', 'dev-enquiries'];
      for (const name of [...tutorial, 'dev-enquiry-consumer']) assert.ok(names.includes(name), `${name} in ${names}`);
      for (const node of await page.locator('svg.map g.node').all()) assert.ok(await node.isVisible());
      for (const node of ['dev-chatbot/prod', 'dev-chatbot', 'dev-enquiry-consumer']) {
        assert.equal(await computed(page, `g.node[data-node="${node}"] circle.ring`, 'stroke'), GREEN, node);
        assert.ok(await page.locator(`g.node[data-node="${node}"]`).isVisible(), `${node} is visible`);
      }
    });

    it('lays the map out left to right without overlaps, inside the page', async () => {
      const ids = ['client', 'dev-chatbot/prod', 'dev-chatbot', 'sqs:dev-enquiries', 'dev-enquiry-consumer'];
      const boxes = await Promise.all(ids.map((id) => box(page, `g.node[data-node="${id}"] circle.ring`)));
      for (let i = 1; i < boxes.length; i++) assert.ok(boxes[i].x > boxes[i - 1].x + boxes[i - 1].width, ids[i]);
      const all = await page.locator('svg.map g.node').evaluateAll((nodes) =>
        nodes.map((n) => {
          const r = n.getBoundingClientRect();
          return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        }),
      );
      for (const [i, a] of all.entries()) {
        assert.ok(a.left >= 0 && a.right <= 1280, 'node inside the viewport width');
        for (const b of all.slice(i + 1)) {
          const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
          assert.ok(!overlap, 'nodes do not overlap');
        }
      }
    });

    it('draws the SQS hop as a dashed link from the queue to the consumer, labelled as a link', async () => {
      const link = 'g.edge.link[data-from="sqs:dev-enquiries"][data-to="dev-enquiry-consumer"]';
      assert.equal(await page.locator('g.edge.link').count(), 1);
      assert.notEqual(await computed(page, `${link} path`, 'stroke-dasharray'), 'none');
      assert.equal(await page.locator(`${link} text`).textContent(), 'link · 1 trace');
      const edge = await box(page, `${link} path`);
      const queue = await box(page, 'g.node[data-node="sqs:dev-enquiries"] circle.ring');
      const consumer = await box(page, 'g.node[data-node="dev-enquiry-consumer"] circle.ring');
      assert.ok(
        edge.x >= queue.cx && edge.x + edge.width <= consumer.cx,
        'the link runs from the queue to the consumer',
      );
      // Calls are solid, with their count and latency.
      assert.equal(await computed(page, 'g.edge.call path', 'stroke-dasharray'), 'none');
      assert.match(
        (await page.locator('g.edge.call[data-from="dev-chatbot"][data-to="sqs:dev-enquiries"] text').textContent()) ??
          '',
        /^1 call · [\d.]+ m?s$/,
      );
    });

    it('shows two traces, each span a row with a visible bar, and the link back to the producer', async () => {
      assert.equal(await page.locator('article.trace').count(), 2);
      const bars = await page.locator('.wf .bar').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
      assert.ok(bars.length >= 10, `${bars.length} spans`);
      for (const width of bars) assert.ok(width >= 2, 'every bar is visible');
      const linkText = await page.locator('article.trace[data-trace="2"] .link a').first().textContent();
      assert.equal(linkText, 'trace 1: dev-chatbot/prod POST /chat');
      assert.equal(await page.locator('.exception').count(), 0);
    });
  });

  describe('with --fail', () => {
    let page: Page;

    before(async () => {
      ({ page } = await openReport(browser, reports.fail));
      await page.screenshot({ path: path.join(output, 'trace-demo-fail.png'), fullPage: true });
    });

    it('turns the chatbot node red, and API Gateway with it', async () => {
      assert.equal(await computed(page, 'g.node[data-node="dev-chatbot"] circle.ring', 'stroke'), RED);
      assert.equal(await computed(page, 'g.node[data-node="dev-chatbot"] text.name', 'fill'), RED);
      assert.equal(await computed(page, 'g.node[data-node="dev-chatbot/prod"] circle.ring', 'stroke'), RED);
      assert.equal(await page.locator('g.edge.link').count(), 0, 'nothing was queued, so nothing is linked');
    });

    it('shows the exception on the failing span, as X-Ray does', async () => {
      const row = page.locator('[data-span="knowledge-lookup"]');
      assert.equal(await row.getAttribute('data-outcome'), 'fault');
      const exception = row.locator('.exception');
      assert.ok(await exception.isVisible());
      assert.match(
        (await exception.innerText()).split('\n')[0],
        /^SimulatedFailure: Simulated failure in knowledge base query/,
      );
      await exception.locator('summary').click();
      assert.match(await exception.locator('pre').innerText(), /Simulated failure in knowledge base query\n\s+at /);
      assert.equal(await computed(page, '[data-span="knowledge-lookup"] .bar', 'background-color'), RED);
    });
  });
});

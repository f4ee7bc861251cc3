/**
 * validate:tf can fail: a configuration with one deliberately broken reference is rejected by the
 * real `terraform validate`, through the same validateUnit() validate:tf runs, naming the reference.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openToolchain, type Toolchain } from '../runner';
import { ROOT, fullArchitectureUnit, stackUnits } from '../units';
import { validateUnit } from '../validate';

/** A copy of `files` (relative to ROOT) in a temp folder, with `edit` applied to `target`. */
function brokenCopy(dir: string, files: string[], target: string, edit: (text: string) => string): void {
  for (const rel of files) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.cpSync(path.join(ROOT, rel), path.join(dir, rel), { recursive: true });
  }
  const file = path.join(dir, target);
  const before = fs.readFileSync(file, 'utf8');
  const broken = edit(before);
  assert.notEqual(broken, before, `the edit changed nothing in ${target}`);
  fs.writeFileSync(file, broken);
}

describe('a broken reference fails validation', { concurrency: true }, () => {
  let tc: Toolchain;
  let temp: string;
  before(async () => {
    tc = await openToolchain();
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'traced-broken-'));
  });
  after(() => {
    tc?.dispose();
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  });

  it('in a synthesized stack: a resource that does not exist', async () => {
    const base = path.join(temp, 'stack');
    const unit = stackUnits(path.join(ROOT, 'cdktf.out')).find((u) => u.name === 'stack dev');
    assert.ok(unit);
    brokenCopy(base, [`cdktf.out/${unit.module}`], `cdktf.out/${unit.module}/cdk.tf.json`, (t) =>
      t.replace('${aws_sqs_queue.enquiries_queue.arn}', '${aws_sqs_queue.enquiries_queue_gone.arn}'),
    );
    const result = await validateUnit(tc, { ...unit, base: path.join(base, 'cdktf.out') });
    assert.equal(result.ok, false);
    assert.match(result.error ?? '', /Reference to undeclared resource/);
    assert.match(result.error ?? '', /aws_sqs_queue\.enquiries_queue_gone/);
  });

  it('in the full-architecture example: a module output that does not exist', async () => {
    const unit = fullArchitectureUnit();
    const base = path.join(temp, 'full');
    brokenCopy(base, [unit.module, ...(unit.include ?? [])], `${unit.module}/main.tf`, (t) =>
      t.replace('module.enquiries.queue_arn', 'module.enquiries.queue_arm'),
    );
    const result = await validateUnit(tc, { ...unit, base });
    assert.equal(result.ok, false);
    assert.match(result.error ?? '', /Unsupported attribute/);
    assert.match(result.error ?? '', /queue_arm/);
  });
});

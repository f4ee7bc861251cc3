/**
 * npm run build:modules — writes each published construct as a standalone Terraform module:
 *   dist/terraform-modules/<name>/main.tf.json        variables, resources, outputs, required_providers
 *   dist/terraform-modules/<name>/README.md           usage, Inputs and Outputs tables
 *   dist/terraform-modules/<name>/examples/basic/main.tf   an HCL root module using it
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODULES, exampleRootModule, moduleReadme, synthModule } from '.';

const out = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'dist', 'terraform-modules'));
fs.rmSync(out, { recursive: true, force: true });
for (const spec of MODULES) {
  const dir = path.join(out, spec.name);
  const { json, outputs } = synthModule(spec);
  fs.mkdirSync(path.join(dir, 'examples', 'basic'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'main.tf.json'), `${JSON.stringify(json, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'README.md'), moduleReadme(spec, outputs));
  fs.writeFileSync(path.join(dir, 'examples', 'basic', 'main.tf'), exampleRootModule(spec, outputs, '../..'));
  process.stdout.write(
    `${path.relative(process.cwd(), dir)}: ${Object.keys((json.variable ?? {}) as object).length} variables, ${Object.keys(outputs).length} outputs\n`,
  );
}

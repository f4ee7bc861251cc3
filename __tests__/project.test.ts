import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../modules';

describe('projectRoot', () => {
  it('is the nearest folder holding cdktf.json at or above the start, else the start', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'project-root-'));
    try {
      const app = path.join(tmp, 'app');
      fs.mkdirSync(path.join(app, 'src', 'handlers'), { recursive: true });
      expect(projectRoot(path.join(app, 'src'))).toBe(path.join(app, 'src'));
      fs.writeFileSync(path.join(app, 'cdktf.json'), '{}');
      expect(projectRoot(path.join(app, 'src', 'handlers'))).toBe(app);
      expect(projectRoot(app)).toBe(app);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('defaults to the working directory: this repository from its own folder', () => {
    expect(projectRoot()).toBe(path.resolve(__dirname, '..'));
  });
});

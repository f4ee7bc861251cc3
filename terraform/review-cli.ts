/**
 * `npm run plan|apply -- <stack>`: see review.ts. package.json runs it through scripts/app.cjs (bundled
 * once into the build cache, no TypeScript loader at start-up).
 */
import { ReviewError, parseArgs, review } from './review';

try {
  process.exitCode = review(parseArgs(process.argv.slice(2)));
} catch (error) {
  if (!(error instanceof ReviewError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = error.exitCode;
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../modules';
import { RULE_TABLE_HEADER, ruleRow, ruleTable } from '../modules/policy/rule-table';

const root = path.resolve(__dirname, '..');
const policyReadme = path.join(root, 'modules', 'policy', 'README.md');
const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';

/** The cells of each row of a Markdown table, trimmed and unescaped (prettier pads them). */
function tableCells(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|[\s|:-]+\|$/.test(l))
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replace(/\\([|*])/g, '$1')),
    );
}

describe('policy docs', () => {
  it('the rule table in modules/policy/README.md is the rules’ own metadata (UPDATE_RULE_TABLE=1 rewrites it)', () => {
    let readme = fs.readFileSync(policyReadme, 'utf8');
    if (process.env.UPDATE_RULE_TABLE) {
      readme = `${readme.slice(0, readme.indexOf(START) + START.length)}\n\n${ruleTable()}\n\n${readme.slice(readme.indexOf(END))}`;
      fs.writeFileSync(policyReadme, readme);
    }
    const section = readme.slice(readme.indexOf(START), readme.indexOf(END));
    expect(tableCells(section)).toEqual([[...RULE_TABLE_HEADER], ...ALL_RULES.map(ruleRow)]);
  });

  it('docs/security.md gives the rule count', () => {
    const security = fs.readFileSync(path.join(root, 'docs', 'security.md'), 'utf8');
    expect(security).toContain(`a cdktf Aspect with ${ALL_RULES.length} rules`);
  });
});

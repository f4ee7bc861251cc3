/** Prints findings for a person: one line each, the fix under anything that is not ok. */
import type { Finding, Status } from './checks';

const LABEL: Record<Status, string> = { ok: 'ok   ', warn: 'WARN ', fail: 'FAIL ', error: 'ERROR' };

export function formatReport(header: string, findings: readonly Finding[]): string {
  const width = Math.max(...findings.map((f) => f.check.length), 5);
  const lines = [header];
  for (const f of findings) {
    lines.push(`  ${LABEL[f.status]} ${f.check.padEnd(width)}  ${f.message}`);
    if (f.fix && f.status !== 'ok') lines.push(`  ${' '.repeat(5)} ${' '.repeat(width)}  fix: ${f.fix}`);
  }
  const count = (s: Status) => findings.filter((f) => f.status === s).length;
  lines.push(
    `${count('ok')} ok, ${count('warn')} warnings, ${count('fail')} failed, ${count('error')} not checked` +
      (count('fail') + count('error') === 0 ? ': ready to apply' : ': fix the above before apply'),
  );
  return `${lines.join('\n')}\n`;
}

/** 0 when nothing failed and everything was checked (warnings allowed), else 1. */
export function exitCode(findings: readonly Finding[]): number {
  return findings.some((f) => f.status === 'fail' || f.status === 'error') ? 1 : 0;
}

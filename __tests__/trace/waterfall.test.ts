import { groupTraces } from '../../trace/model';
import { bar, colorEnabled, formatMs, renderWaterfall } from '../../trace/waterfall';
import { demoSpans } from './fixtures';

const ESC = '\x1b[';

describe('terminal waterfall', () => {
  const plain = renderWaterfall(groupTraces(demoSpans()), { color: false, barWidth: 20 });
  const lines = plain.split('\n');

  it('draws one block per trace: header, column heads, a row per span as a tree', () => {
    expect(lines[0]).toBe('Trace 1  1-69259990-00000000000000000000000a  400 ms  9 spans  OK');
    expect(lines[1]).toMatch(/^ {2}service +span +0 +400 ms {2}duration {3}status$/);
    const rows = lines.slice(2, 11).map((l) => l.replace(/\s+$/, ''));
    // service, tree-indented name, the bar on the trace's time axis (20 cells = 400 ms), duration, status
    expect(rows).toEqual([
      '  dev-chatbot/prod      POST /chat                             ████████████████████    400 ms   OK 200',
      '  dev-chatbot           ├ Initialization                       ██████████              195 ms   OK',
      '  dev-chatbot           └ dev-chatbot                                    ██████████    190 ms   OK',
      '  dev-chatbot             ├ validate-request                             █             2.0 ms   OK',
      '  dev-chatbot             ├ knowledge-lookup                             █████          97 ms   OK',
      '  dev-chatbot             │ └ BedrockAgentRuntime.InvokeAgent            █████          80 ms   OK',
      '  dev-chatbot             └ publish-enquiry                                   ████      80 ms   OK',
      '  dev-chatbot               └ dev-enquiries send                              ████      76 ms   OK',
      '  dev-chatbot                 └ POST                                          ████      74 ms   OK 200',
    ]);
    expect(lines[12]).toBe('Trace 2  1-69259991-00000000000000000000000b  40 ms  3 spans  OK');
  });

  it("shows a span's links under it, naming the linked trace and span", () => {
    const at = lines.findIndex((l) => l.includes('process-enquiry'));
    expect(lines[at + 1].trim()).toBe('↪ link to trace 1: dev-chatbot/prod POST /chat (from AWSTraceHeader)');
  });

  it('plain output has no escape codes', () => {
    expect(plain).not.toContain(ESC);
  });

  describe('with the failure switch on', () => {
    const failed = renderWaterfall(groupTraces(demoSpans(true)), { color: false, barWidth: 20 }).split('\n');
    const coloured = renderWaterfall(groupTraces(demoSpans(true)), { color: true, barWidth: 20 });

    it('marks the trace and the failing span FAULT and prints the exception under it', () => {
      expect(failed[0]).toMatch(/ 5 spans {2}FAULT$/);
      expect(failed.find((l) => l.includes('POST /chat'))).toMatch(/FAULT 500$/);
      const at = failed.findIndex((l) => l.includes('knowledge-lookup'));
      expect(failed[at]).toMatch(/FAULT$/);
      expect(failed[at + 1].trim()).toBe('✖ SimulatedFailure: Simulated failure in knowledge base query');
    });

    it('paints faults red, ok green, the header bold', () => {
      expect(coloured).toContain(`${ESC}31mFAULT${ESC}0m 500`);
      expect(coloured).toContain(`${ESC}31m✖ SimulatedFailure: Simulated failure in knowledge base query${ESC}0m`);
      expect(coloured).toContain(`${ESC}32mOK${ESC}0m`);
      expect(coloured).toContain(`${ESC}1mTrace 1${ESC}0m`);
      // Colour changes nothing else: strip it and the plain text is left.
      expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(failed.join('\n'));
    });
  });

  it('fits the bar to the terminal width', () => {
    const narrow = renderWaterfall(groupTraces(demoSpans()), { color: false, columns: 100 });
    for (const line of narrow.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
    const wide = renderWaterfall(groupTraces(demoSpans()), { color: false, columns: 300 });
    expect(wide).toContain('█'.repeat(60));
    expect(wide).not.toContain('█'.repeat(61));
  });

  it('draws at least one cell for the shortest span, and never past the axis', () => {
    expect(bar(100, 100.001, 0, 400, 20)).toEqual({ before: 5, length: 1, after: 14 });
    expect(bar(399, 400, 0, 400, 20)).toEqual({ before: 19, length: 1, after: 0 });
    expect(bar(0, 400, 0, 400, 20)).toEqual({ before: 0, length: 20, after: 0 });
  });

  it('formats durations for reading', () => {
    expect([0.25, 9.96, 12.4, 999, 1234, 12345].map(formatMs)).toEqual([
      '0.3 ms',
      '10.0 ms',
      '12 ms',
      '999 ms',
      '1.23 s',
      '12.3 s',
    ]);
  });
});

describe('colorEnabled', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it.each([
    ['a terminal', tty, {}, true],
    ['a pipe', pipe, {}, false],
    ['NO_COLOR on a terminal', tty, { NO_COLOR: '1' }, false],
    ['an empty NO_COLOR (ignored, per no-color.org)', tty, { NO_COLOR: '' }, true],
    ['NO_COLOR beats FORCE_COLOR', tty, { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
    ['FORCE_COLOR on a pipe', pipe, { FORCE_COLOR: '1' }, true],
    ['FORCE_COLOR=0 on a terminal', tty, { FORCE_COLOR: '0' }, false],
    ['TERM=dumb', tty, { TERM: 'dumb' }, false],
  ])('%s', (_label, stream, env, expected) => {
    expect(colorEnabled(stream, env)).toBe(expected);
  });
});

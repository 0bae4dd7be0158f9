import { describe, expect, it } from 'vitest';
import { bytesText, durationText } from './measure-text.js';
import { oneLine } from './one-line.js';
import { ProgressLine, progressBar } from './progress-line.js';
import { textTable } from './text-table.js';
import { MAX_PRINTED_ENTRIES, vectorText } from './vector-text.js';

describe('vectorText', () => {
  it('prints entries ascending by index, and (empty) for none', () => {
    expect(vectorText({ 3: 7, 0: 5 })).toBe('0=5 3=7');
    expect(vectorText({})).toBe('(empty)');
  });

  it('cuts a large vector short', () => {
    const record: Record<number, number> = {};
    for (let index = 0; index < MAX_PRINTED_ENTRIES + 10; index++) record[index] = 1;
    expect(vectorText(record)).toMatch(/^0=1 .* 31=1 … \(10 more\)$/);
  });
});

describe('textTable', () => {
  it('aligns columns without trailing spaces', () => {
    expect(
      textTable([
        ['ADDRESS', 'STATUS'],
        ['127.0.0.1:7946', 'alive'],
      ]),
    ).toBe('ADDRESS         STATUS\n127.0.0.1:7946  alive\n');
  });
});

describe('oneLine', () => {
  it('joins lines and squeezes spaces', () => {
    expect(oneLine("error: unknown command 'serv'\n(Did you mean serve?)\n")).toBe(
      "error: unknown command 'serv' (Did you mean serve?)",
    );
  });
});

describe('durationText and bytesText', () => {
  it('reads as people write them', () => {
    expect(durationText(0.84)).toBe('0.8 ms');
    expect(durationText(42.4)).toBe('42 ms');
    expect(durationText(1_250)).toBe('1.25 s');
    expect(bytesText(900)).toBe('900 B');
    expect(bytesText(12_595)).toBe('12.3 KiB');
    expect(bytesText(4.3 * 1024 * 1024)).toBe('4.3 MiB');
  });
});

describe('ProgressLine', () => {
  function capture(isTTY: boolean): { text: () => string; line: ProgressLine } {
    let written = '';
    const line = new ProgressLine({ write: (text) => void (written += text), isTTY });
    return { text: () => written, line };
  }

  it('rewrites one line in place on a terminal', () => {
    const { text, line } = capture(true);
    line.update('1/3');
    line.update('2/3');
    line.finish('3/3 done');
    expect(text()).toBe('\r1/3\u001b[K\r2/3\u001b[K\r3/3 done\u001b[K\n');
  });

  it('writes only the finished line elsewhere', () => {
    const { text, line } = capture(false);
    line.update('1/3');
    line.finish('3/3 done');
    expect(text()).toBe('3/3 done\n');
  });

  it('draws a bar', () => {
    expect(progressBar(2, 5)).toBe('■■□□□');
    expect(progressBar(5, 5)).toBe('■■■■■');
  });
});

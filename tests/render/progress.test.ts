import { describe, expect, it } from 'vitest';
import { makeProgress } from '../../src/render/progress.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { output: string } {
  const stream = { isTTY, output: '', write(text: string) { stream.output += text; return true; } };
  return stream as unknown as NodeJS.WriteStream & { output: string };
}

describe('progress bar', () => {
  it('is silent when stderr is not a terminal, or with --quiet', () => {
    expect(makeProgress(fakeStream(false), true)).toBeNull();
    expect(makeProgress(fakeStream(true), false)).toBeNull();
  });

  it('draws at most five times a second on a terminal and clears itself', () => {
    const stream = fakeStream(true);
    let time = 1000;
    const progress = makeProgress(stream, true, () => time)!;
    progress.update('big.csv', 50e6, 100e6);
    progress.update('big.csv', 60e6, 100e6); // within 200 ms: not drawn
    time += 250;
    progress.update('big.csv', 100e6, 100e6);
    progress.done();
    const frames = stream.output.split('\r').filter((f) => f !== '');
    expect(frames[0]).toBe(`[${'█'.repeat(12)}${'░'.repeat(12)}]  50 % big.csv 50/100 MB\u001b[K`);
    expect(frames[1]).toContain('100 % big.csv 100/100 MB');
    expect(frames).toHaveLength(3);
    expect(frames[2]).toBe('\u001b[K');
  });

  it('stays quiet for small files', () => {
    const stream = fakeStream(true);
    makeProgress(stream, true, () => 5000)!.update('small.csv', 1000, 2000);
    expect(stream.output).toBe('');
  });
});

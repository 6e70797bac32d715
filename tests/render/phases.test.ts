/**
 * The phase line after reading ("analyserar…", "skriver rapport…"): only on a terminal and without
 * -q, only once a phase has lasted a moment, cleared before anything else is written, and drawn
 * even while this thread is busy (from a thread of its own, where the stream has a descriptor).
 */
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makePhases, phaseLine } from '../../src/render/progress.js';

function stream(isTTY: boolean) {
  const s = { isTTY, output: '', write(text: string) { s.output += text; return true; } };
  return s;
}

describe('phases', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('are silent off a terminal and with -q', () => {
    expect(makePhases(stream(false), true, 'sv')).toBeNull();
    expect(makePhases(stream(true), false, 'sv')).toBeNull();
  });

  it('draw a spinner, the phase and its seconds once it has lasted the delay; a later phase at once; cleared on stop', () => {
    vi.useFakeTimers();
    const s = stream(true);
    const phases = makePhases(s, true, 'sv', { delay: 1000, interval: 100 })!;
    phases.start('analyse');
    vi.advanceTimersByTime(900);
    expect(s.output).toBe('');
    vi.advanceTimersByTime(1200);
    const frames = s.output.split('\r').filter((f) => f !== '');
    expect(frames[0]).toBe('⠋ analyserar… 1 s\u001b[K');
    expect(frames.at(-1)).toBe(`${'⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏'[(frames.length - 1) % 10]} analyserar… 2 s\u001b[K`);
    phases.start('write');
    expect(s.output.endsWith('skriver rapport…\u001b[K')).toBe(true);
    phases.stop();
    expect(s.output.endsWith('\r\u001b[K')).toBe(true);
    const before = s.output;
    vi.advanceTimersByTime(5000);
    expect(s.output).toBe(before);
    phases.close();
  });

  it('a short phase shows nothing and clears nothing; English with --lang en', () => {
    vi.useFakeTimers();
    const s = stream(true);
    const phases = makePhases(s, true, 'en', { delay: 1000, interval: 100 })!;
    phases.start('analyse');
    vi.advanceTimersByTime(500);
    phases.stop();
    expect(s.output).toBe('');
    phases.start('write');
    vi.advanceTimersByTime(1500);
    expect(s.output).toContain('writing the report… 1 s');
    phases.close();
  });

  it('phaseLine: the frame turns, seconds from the first', () => {
    expect(phaseLine('analyserar…', 11, 999)).toBe('\r⠙ analyserar…\u001b[K');
    expect(phaseLine('analyserar…', 0, 61_000)).toBe('\r⠋ analyserar… 61 s\u001b[K');
  });

  it('with a file descriptor, a thread of its own draws while this one is busy, and nothing after stop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ska-phases-'));
    const file = join(dir, 'stderr');
    const fd = openSync(file, 'w');
    try {
      const s = { isTTY: true, fd, write: (text: string) => readFileSync(file).length + text.length };
      const phases = makePhases(s, true, 'sv', { delay: 0, interval: 10 })!;
      phases.start('analyse');
      // Starting a thread takes a moment (more on a busy machine): wait for its first line.
      const deadline = Date.now() + 10_000;
      while (readFileSync(file).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const start = readFileSync(file).length;
      expect(start).toBeGreaterThan(0);
      // Now keep this thread busy, as the analysis does: the line still turns.
      const busyUntil = Date.now() + 10_000;
      while (readFileSync(file).length === start && Date.now() < busyUntil) {
        // busy
      }
      expect(readFileSync(file).length).toBeGreaterThan(start);
      phases.stop();
      const after = readFileSync(file, 'utf8');
      expect(after).toContain('analyserar…');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(readFileSync(file, 'utf8')).toBe(after);
      phases.close();
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

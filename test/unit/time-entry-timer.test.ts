import { describe, expect, it } from 'vitest';
import {
  elapsedSeconds,
  secondsOf,
  startTimer,
  stopTimer,
  timeSpentOf,
  timeSpentPattern,
  toggleTimer,
} from '../../lambdas/domain/time-entries/timer.ts';

const at = (instant: string) => new Date(instant);
const stopped = { timer_running: false, start_time: '2026-12-01T09:00:00.000Z', time_spent_in_seconds: 600 };

describe("a time entry's duration", () => {
  it('reads and writes hh:mm, keeping seconds below a minute out of view', () => {
    expect(secondsOf('01:30')).toBe(5_400);
    expect(secondsOf('00:00')).toBe(0);
    expect(secondsOf('120:05')).toBe(432_300);
    expect(timeSpentOf(5_400)).toBe('01:30');
    expect(timeSpentOf(5_459)).toBe('01:30');
    expect(timeSpentOf(432_300)).toBe('120:05');
  });

  it('accepts hh:mm only', () => {
    expect(['00:00', '1:05', '99:59', '1234:00'].every((value) => timeSpentPattern.test(value))).toBe(true);
    expect(['1:60', '1:5', '12345:00', '01:30:00', 'ab:cd', ''].some((v) => timeSpentPattern.test(v))).toBe(
      false,
    );
  });
});

describe("a time entry's timer, on an injected clock", () => {
  it('starts counting from now, and stopping adds the time since it started', () => {
    // Act: start at 10:00, stop at 10:45:30.
    const running = startTimer(stopped, at('2026-12-01T10:00:00.000Z'));
    const done = stopTimer(running, at('2026-12-01T10:45:30.000Z'));

    // Assess
    expect(running).toEqual({ ...stopped, timer_running: true, start_time: '2026-12-01T10:00:00.000Z' });
    expect(done.timer_running).toBe(false);
    expect(done.time_spent_in_seconds).toBe(600 + 45 * 60 + 30);
    expect(timeSpentOf(done.time_spent_in_seconds)).toBe('00:55');
  });

  it('accumulates over several runs, seconds included', () => {
    // Act: two runs of 30 seconds each, toggled.
    let timer = toggleTimer(stopped, at('2026-12-01T10:00:00.000Z'));
    timer = toggleTimer(timer, at('2026-12-01T10:00:30.000Z'));
    timer = toggleTimer(timer, at('2026-12-01T11:00:00.000Z'));
    timer = toggleTimer(timer, at('2026-12-01T11:00:30.000Z'));

    // Assess: a full minute more, not two half minutes lost.
    expect(timer.time_spent_in_seconds).toBe(660);
    expect(timer.timer_running).toBe(false);
  });

  it('leaves a running timer running on start, and a stopped one stopped on stop', () => {
    const running = startTimer(stopped, at('2026-12-01T10:00:00.000Z'));
    expect(startTimer(running, at('2026-12-01T10:05:00.000Z'))).toBe(running);
    expect(stopTimer(stopped, at('2026-12-01T10:05:00.000Z'))).toBe(stopped);
  });

  it('counts nothing for a start in the future (a clock behind the start)', () => {
    expect(elapsedSeconds('2026-12-01T10:00:00.000Z', at('2026-12-01T09:59:00.000Z'))).toBe(0);
    const running = { ...stopped, timer_running: true, start_time: '2026-12-01T10:00:00.000Z' };
    expect(stopTimer(running, at('2026-12-01T09:00:00.000Z')).time_spent_in_seconds).toBe(600);
  });
});

/**
 * The arithmetic of a time entry's timer, as Freshdesk v2 keeps it: time spent is shown as `hh:mm` and
 * kept in seconds; a running timer counts from its `start_time`, and stopping it adds the time elapsed
 * since then. Pure: the caller passes the clock's `now`.
 */
export interface TimerState {
  readonly timer_running: boolean;
  /** ISO instant the timer last started (or the entry was added). */
  readonly start_time: string;
  /** Time spent up to the last stop. */
  readonly time_spent_in_seconds: number;
}

/** `hh:mm` as v2 writes it: hours (at least two digits), minutes 00–59. */
export const timeSpentPattern = /^\d{1,4}:[0-5]\d$/;

/** The seconds an `hh:mm` duration stands for. */
export function secondsOf(timeSpent: string): number {
  const [hours, minutes] = timeSpent.split(':').map(Number);
  return ((hours ?? 0) * 60 + (minutes ?? 0)) * 60;
}

/** A duration as `hh:mm`, whole minutes (seconds left over are not shown, but kept). */
export function timeSpentOf(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Whole seconds from `start` to `now`; never negative (a start in the future counts nothing). */
export function elapsedSeconds(start: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(start)) / 1000));
}

/** A stopped timer starts counting from `now`; a running one is left as it is. */
export function startTimer<T extends TimerState>(state: T, now: Date): T {
  if (state.timer_running) return state;
  return { ...state, timer_running: true, start_time: now.toISOString() };
}

/** A running timer stops, adding the time since it started; a stopped one is left as it is. */
export function stopTimer<T extends TimerState>(state: T, now: Date): T {
  if (!state.timer_running) return state;
  return {
    ...state,
    timer_running: false,
    time_spent_in_seconds: state.time_spent_in_seconds + elapsedSeconds(state.start_time, now),
  };
}

/** `PUT /time_entries/{id}/toggle_timer`: starts a stopped timer, stops a running one. */
export function toggleTimer<T extends TimerState>(state: T, now: Date): T {
  return state.timer_running ? stopTimer(state, now) : startTimer(state, now);
}

import { describe, it, expect } from 'vitest';
import { chooseTickStep, formatDuration, formatTick, formatTime, tickValues } from '../../../app/timeline/timeFormat.ts';

describe('tick formatter', () => {
  it.each([
    // [tMs, stepMs, text]
    [0, 1, '0 s'],
    [12_345, 1, '12.345 s'],
    [12_340, 10, '12.34 s'],
    [12_300, 100, '12.3 s'],
    [12_345.6, 0.1, '12.3456 s'],
    [0.005, 0.001, '0.000005 s'],
    [62_345, 1, '62.345 s'],
    [90_500, 500, '90.5 s'],
    [45_000, 5000, '45 s'],
    [90_000, 15_000, '90 s'],
    [3_690_000, 30_000, '3690 s'],
    [120_000, 60_000, '120 s'],
    [1_800_000, 300_000, '1800 s'],
    [5_400_000, 1_800_000, '5400 s'],
    [7_200_000, 3_600_000, '7200 s'],
  ])('%d ms at step %d ms → %s', (tMs, stepMs, text) => {
    expect(formatTick(tMs, stepMs)).toBe(text);
  });

  it('picks clock-friendly steps at least ~90 px apart', () => {
    expect(chooseTickStep(0.0001)).toBe(0.01);      // 9 µs wanted → 10 µs
    expect(chooseTickStep(10)).toBe(1000);          // 900 ms wanted → 1 s
    expect(chooseTickStep(120_000 / 1100)).toBe(10_000); // 2 min over 1100 px → 10 s
    expect(chooseTickStep(300)).toBe(30_000);       // 27 s wanted → 30 s, not 50 s
    expect(chooseTickStep(3000)).toBe(300_000);     // 4.5 min wanted → 5 min
  });

  it('lists the multiples of the step inside the window', () => {
    expect(tickValues(950, 4100, 1000)).toEqual([1000, 2000, 3000, 4000]);
    expect(tickValues(0.1, 0.35, 0.1)).toEqual([0.1, 0.2, 0.3]);
  });

  it('writes exact times and durations for tooltips', () => {
    expect(formatTime(40_050)).toBe('40.050 s');
    expect(formatTime(40_050.5)).toBe('40.0505 s');
    expect(formatDuration(10)).toBe('0.010 s');
    expect(formatDuration(8030)).toBe('8.030 s');
    expect(formatTime(90_030)).toBe('90.030 s (1 min 30.03 s)');
    expect(formatTime(150_000)).toBe('150.000 s (2 min 30 s)');
    expect(formatTime(150_000, { minutes: false })).toBe('150.000 s');
    expect(formatDuration(90_000)).toBe('90.000 s (1 min 30 s)');
  });
});

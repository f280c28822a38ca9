import { describe, expect, it } from 'vitest';
import { BoundedList } from './bounded-list.ts';

describe('BoundedList', () => {
  it('never holds more than its capacity and evicts the oldest first', () => {
    const list = new BoundedList<number>(3);
    expect(list.push(1)).toBeUndefined();
    list.push(2);
    list.push(3);
    expect(list.push(4)).toBe(1);
    expect(list.push(5)).toBe(2);
    expect(list.size).toBe(3);
    expect(list.toArray()).toEqual([3, 4, 5]);
    expect(list.last()).toBe(5);
  });

  it('stops at the cap over a long stream (288 like the OI history)', () => {
    const list = BoundedList.from(Array.from({ length: 10_000 }, (_, i) => i), 288);
    expect(list.size).toBe(288);
    expect(list.toArray()).toEqual(Array.from({ length: 288 }, (_, i) => 10_000 - 288 + i));
    expect(list.last()).toBe(9999);
  });

  it('pushMany reports how many items it evicted', () => {
    const list = BoundedList.from([1, 2], 4);
    expect(list.pushMany([3, 4, 5, 6, 7])).toBe(3);
    expect(list.toArray()).toEqual([4, 5, 6, 7]);
  });

  it('trimTo keeps the newest n across the wrap point and reports the dropped count', () => {
    const list = BoundedList.from([1, 2, 3, 4, 5, 6, 7], 5);
    expect(list.trimTo(2)).toBe(3);
    expect(list.toArray()).toEqual([6, 7]);
    expect(list.trimTo(5)).toBe(0);
    list.pushMany([8, 9, 10, 11]);
    expect(list.toArray()).toEqual([7, 8, 9, 10, 11]);
    expect(list.trimTo(0)).toBe(5);
    expect(list.last()).toBeUndefined();
    expect(list.toArray()).toEqual([]);
  });

  it('fromNewest reads back from the newest across the wrap point', () => {
    const list = BoundedList.from([1, 2, 3, 4, 5], 3);
    expect([0, 1, 2].map((k) => list.fromNewest(k))).toEqual([5, 4, 3]);
    expect(list.fromNewest(3)).toBeUndefined();
    expect(list.fromNewest(-1)).toBeUndefined();
  });

  it('clear empties it and it fills again from scratch', () => {
    const list = BoundedList.from([1, 2, 3, 4], 3);
    list.clear();
    expect(list.size).toBe(0);
    list.push(9);
    expect(list.toArray()).toEqual([9]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new BoundedList(0)).toThrow(/capacity must be a positive integer, got 0/);
  });
});

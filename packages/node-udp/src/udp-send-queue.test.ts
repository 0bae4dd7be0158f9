import { describe, expect, it } from 'vitest';
import { SendQueue } from './udp-send-queue.js';

const to = { host: '127.0.0.1', port: 9 };

describe('SendQueue', () => {
  it('keeps order, refuses pushes beyond its capacity, and clears', () => {
    const queue = new SendQueue(3);
    for (let count = 0; count < 4; count++) {
      expect(queue.push({ to, bytes: Buffer.of(count) })).toBe(count < 3);
    }
    expect(queue.size).toBe(3);
    expect(queue.take()?.bytes[0]).toBe(0);
    expect(queue.push({ to, bytes: Buffer.of(9) })).toBe(true);
    expect(queue.clear()).toBe(3);
    expect(queue.size).toBe(0);
    expect(queue.take()).toBeUndefined();
  });

  it('stays in order across compactions, with pushes and takes interleaved', () => {
    const queue = new SendQueue(100_000);
    let pushed = 0;
    let taken = 0;
    for (let round = 0; round < 50; round++) {
      for (let count = 0; count < 700; count++) {
        queue.push({ to, bytes: Buffer.from(Uint32Array.of(pushed++).buffer) });
      }
      for (let count = 0; count < 500; count++) {
        expect(queue.take()?.bytes.readUInt32LE(0)).toBe(taken++);
      }
    }
    expect(queue.size).toBe(pushed - taken);
    for (let count = queue.size; count > 0; count--) {
      expect(queue.take()?.bytes.readUInt32LE(0)).toBe(taken++);
    }
    expect(queue.take()).toBeUndefined();
  });
});

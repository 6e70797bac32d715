/**
 * Hash tables for the hot path of reading, so a row costs a few integer operations and no
 * strings:
 *
 * - ByteDict: distinct byte strings (cell values) → small integer ids. A column holds few
 *   distinct values (subjects, school years, grades, schools), so each is decoded and
 *   normalised once, however many million rows repeat it.
 * - NumberIndex: float64 keys (a personnummer as a 12-digit number, a slot key) → integer ids.
 *
 * Both use open addressing with linear probing and grow at 50 % load.
 */
import { resized } from './typed-arrays.js';

function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] ?? 0), 0x01000193);
  return h >>> 0;
}

export class ByteDict {
  private table: Int32Array;
  private mask: number;
  private hashes: Uint32Array;
  private offsets: Int32Array;
  private lengths: Int32Array;
  private arena: Uint8Array;
  private arenaUsed = 0;
  size = 0;

  constructor(capacity = 64) {
    let slots = 16;
    while (slots < capacity * 2) slots <<= 1;
    this.table = new Int32Array(slots).fill(-1);
    this.mask = slots - 1;
    this.hashes = new Uint32Array(capacity);
    this.offsets = new Int32Array(capacity);
    this.lengths = new Int32Array(capacity);
    this.arena = new Uint8Array(capacity * 16);
  }

  /** The id of the bytes buf[start, end), adding them if new. `isNew` tells which. */
  intern(buf: Uint8Array, start: number, end: number): number {
    const hash = hashBytes(buf, start, end);
    const length = end - start;
    let slot = hash & this.mask;
    for (;;) {
      const id = this.table[slot] ?? -1;
      if (id < 0) break;
      if (this.hashes[id] === hash && this.lengths[id] === length && this.equals(id, buf, start, length)) {
        this.isNew = false;
        return id;
      }
      slot = (slot + 1) & this.mask;
    }
    const id = this.size++;
    if (id >= this.hashes.length) this.growEntries();
    if (this.arenaUsed + length > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + length));
      bigger.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = bigger;
    }
    this.arena.set(buf.subarray(start, end), this.arenaUsed);
    this.hashes[id] = hash;
    this.offsets[id] = this.arenaUsed;
    this.lengths[id] = length;
    this.arenaUsed += length;
    this.table[slot] = id;
    if (this.size * 2 > this.table.length) this.rehash();
    this.isNew = true;
    return id;
  }

  /** Whether the last `intern` call added its bytes. */
  isNew = false;

  private equals(id: number, buf: Uint8Array, start: number, length: number): boolean {
    const offset = this.offsets[id] ?? 0;
    const arena = this.arena;
    for (let i = 0; i < length; i++) if (arena[offset + i] !== buf[start + i]) return false;
    return true;
  }

  private growEntries(): void {
    const capacity = this.hashes.length * 2;
    this.hashes = resized(this.hashes, capacity);
    this.offsets = resized(this.offsets, capacity);
    this.lengths = resized(this.lengths, capacity);
  }

  private rehash(): void {
    const slots = this.table.length * 2;
    this.table = new Int32Array(slots).fill(-1);
    this.mask = slots - 1;
    for (let id = 0; id < this.size; id++) {
      let slot = (this.hashes[id] ?? 0) & this.mask;
      while ((this.table[slot] ?? -1) >= 0) slot = (slot + 1) & this.mask;
      this.table[slot] = id;
    }
  }
}

/** Mix a float64 integer key (< 2^53) into 32 bits. */
function hashNumber(key: number): number {
  const lo = key % 4294967296 | 0;
  const hi = (key / 4294967296) | 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class NumberIndex {
  private keys: Float64Array;
  private values: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let slots = 16;
    while (slots < capacity * 2) slots <<= 1;
    this.keys = new Float64Array(slots);
    this.values = new Int32Array(slots).fill(-1);
    this.mask = slots - 1;
  }

  get(key: number): number {
    let slot = hashNumber(key) & this.mask;
    for (;;) {
      const value = this.values[slot] ?? -1;
      if (value < 0) return -1;
      if (this.keys[slot] === key) return value;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Set key → value (the key must not be present). */
  set(key: number, value: number): void {
    if ((this.size + 1) * 2 > this.values.length) this.rehash();
    let slot = hashNumber(key) & this.mask;
    while ((this.values[slot] ?? -1) >= 0) slot = (slot + 1) & this.mask;
    this.keys[slot] = key;
    this.values[slot] = value;
    this.size++;
  }

  private rehash(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const slots = oldValues.length * 2;
    this.keys = new Float64Array(slots);
    this.values = new Int32Array(slots).fill(-1);
    this.mask = slots - 1;
    for (let i = 0; i < oldValues.length; i++) {
      const value = oldValues[i] ?? -1;
      if (value < 0) continue;
      let slot = hashNumber(oldKeys[i] ?? 0) & this.mask;
      while ((this.values[slot] ?? -1) >= 0) slot = (slot + 1) & this.mask;
      this.keys[slot] = oldKeys[i] ?? 0;
      this.values[slot] = value;
    }
  }
}

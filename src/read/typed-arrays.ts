/** Growing the typed arrays the readers, the row logs and the store fill. */

type Growable = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float64Array;

/** A new array of the same type and `size` elements, holding `array`'s first ones (all of them when it grows). */
export function resized<T extends Growable>(array: T, size: number): T {
  const next = new (array.constructor as new (length: number) => T)(size);
  next.set(array.subarray(0, Math.min(array.length, size)));
  return next;
}

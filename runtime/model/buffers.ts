/** A typed array that grows by doubling, for per-row results of a streamed holdout. */
export class GrowableArray<T extends Float32Array | Float64Array | Int32Array> {
  private data: T;
  private size = 0;
  private readonly make: (n: number) => T;

  constructor(make: (n: number) => T, initial = 4096) {
    this.make = make;
    this.data = make(initial);
  }

  get length(): number {
    return this.size;
  }

  /** Appends `values` (or its first `count` elements). */
  push(values: ArrayLike<number>, count = values.length): void {
    this.reserve(this.size + count);
    for (let i = 0; i < count; i++) this.data[this.size + i] = values[i] as number;
    this.size += count;
  }

  pushOne(value: number): void {
    this.reserve(this.size + 1);
    this.data[this.size++] = value;
  }

  /** A view of the filled part (no copy). */
  view(): T {
    return this.data.subarray(0, this.size) as T;
  }

  private reserve(needed: number): void {
    if (needed <= this.data.length) return;
    let capacity = this.data.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = this.make(capacity);
    next.set(this.data.subarray(0, this.size));
    this.data = next;
  }
}

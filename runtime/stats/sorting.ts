/** A sorted (ascending) copy; the input is never mutated. Float64Array's sort is numeric, so no comparator. */
export function sortedCopy(values: Float64Array): Float64Array {
  return Float64Array.from(values).sort();
}

/** True when `values` is sorted ascending. */
export function isSortedAscending(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) return false;
  return true;
}

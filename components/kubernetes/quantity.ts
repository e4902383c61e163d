/**
 * Multiplies a CPU quantity (`250m`, `1.5`, `2`) to derive a limit from a request, so a container
 * can burst without being able to starve its node.
 */
export function scaleCpu(cpu: string, factor: number): string {
  const milli = cpu.endsWith("m") ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000;
  return `${Math.round(milli * factor)}m`;
}

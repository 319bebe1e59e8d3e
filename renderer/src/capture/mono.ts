/** Averages the channels of one render quantum into mono. */
export function downmix(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0]!;
  const mono = new Float32Array(channels[0]?.length ?? 0);
  for (const channel of channels) for (let i = 0; i < mono.length; i += 1) mono[i]! += channel[i]! / channels.length;
  return mono;
}

/** Root-mean-square level of a block, 0..1, for the input meter and the silent-microphone warning. */
export function rms(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

import { readFileSync } from 'node:fs';

/** A process's resident set size now, in bytes, from /proc/<pid>/status (VmRSS). */
export function processRssBytes(pid: number | undefined): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}: has it exited?`);
  return Number(match[1]) * 1024;
}

/** Samples a process's RSS every `everyMs` until `stop`, which returns the samples in bytes. */
export function sampleRss(pid: number | undefined, everyMs: number): { stop(): number[] } {
  const samples = [processRssBytes(pid)];
  const timer = setInterval(() => samples.push(processRssBytes(pid)), everyMs);
  return {
    stop() {
      clearInterval(timer);
      samples.push(processRssBytes(pid));
      return samples;
    },
  };
}

import { machineBusyMs, postgresCpuBetween, postgresCpuMs, processCpuMs } from '../support/cpu.js';

/** What each side of a round costs in CPU, so the ratio can be explained and not only printed. */
export function cpuSnapshot(pids: { relay?: number; sandbox?: number }) {
  const sum = (cpu: { user: number; system: number }) => cpu.user + cpu.system;
  const self = process.cpuUsage();
  return {
    relay: pids.relay ? processCpuMs(pids.relay) : { user: 0, system: 0 },
    sandbox: pids.sandbox ? sum(processCpuMs(pids.sandbox)) : 0,
    client: (self.user + self.system) / 1000,
    postgres: postgresCpuMs(),
    machine: machineBusyMs(),
  };
}

export type CpuSnapshot = ReturnType<typeof cpuSnapshot>;

/** CPU ms per payment (or per baseline transaction) of each process group between two snapshots. */
export function cpuPerPayment(before: CpuSnapshot, after: CpuSnapshot, count: number) {
  const per = (a: number, b: number) => (b - a) / count;
  return {
    relay_user: per(before.relay.user, after.relay.user),
    relay_sys: per(before.relay.system, after.relay.system),
    sandbox: per(before.sandbox, after.sandbox),
    client: per(before.client, after.client),
    postgres: postgresCpuBetween(before.postgres, after.postgres) / count,
    machine: per(before.machine, after.machine),
  };
}

export type CpuPerPayment = ReturnType<typeof cpuPerPayment>;

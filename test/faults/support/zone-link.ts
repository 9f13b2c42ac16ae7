import net from 'node:net';

/**
 * The network between two zones, for one direction of connections: a TCP proxy from `listen` to
 * `target`. Severed, it behaves like a partition, not like a crash: new connections are accepted
 * and never reach the other side (the connector waits for its own timeout; no refusal), and the
 * ones open across it either stall (`stall`: no byte crosses, nothing is closed, so each end finds
 * out by its own timeouts, as with a real partition) or are reset (`reset`: what TCP keepalives or
 * `tcp_user_timeout` do to them some seconds into a real one). A proxy in user space cannot make a
 * stalled connection fail keepalives (its kernel answers them), so a stalled one stays stalled
 * until the link heals, when the stalled ones are dropped.
 */
export class ZoneLink {
  private severed = false;

  constructor(private readonly openOnSever: 'stall' | 'reset') {}
  private readonly open = new Set<[net.Socket, net.Socket | undefined]>();
  private server!: net.Server;
  port = 0;

  static async start(
    listen: { host: string; port: number },
    target: { host: string; port: number },
    openOnSever: 'stall' | 'reset',
  ) {
    const link = new ZoneLink(openOnSever);
    link.server = net.createServer((client) => {
      client.on('error', () => {});
      if (link.severed) {
        const stalled: [net.Socket, undefined] = [client, undefined];
        link.open.add(stalled);
        client.pause();
        return;
      }
      const upstream = net.connect(target.port, target.host);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      const pair: [net.Socket, net.Socket] = [client, upstream];
      link.open.add(pair);
      const forget = () => link.open.delete(pair);
      // While severed, one end closing is not seen by the other (a partition carries no FIN).
      client.once('close', () => {
        forget();
        if (!link.severed) upstream.destroy();
      });
      upstream.once('close', () => {
        forget();
        if (!link.severed) client.destroy();
      });
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      link.server.once('error', reject);
      link.server.listen(listen.port, listen.host, resolve);
    });
    link.port = (link.server.address() as net.AddressInfo).port;
    return link;
  }

  /** The partition: nothing crosses any more. */
  sever(): void {
    this.severed = true;
    for (const [client, upstream] of this.open) {
      if (this.openOnSever === 'reset') {
        client.resetAndDestroy();
        upstream?.resetAndDestroy();
      } else {
        client.unpipe();
        upstream?.unpipe();
        client.pause();
        upstream?.pause();
      }
    }
    if (this.openOnSever === 'reset') this.open.clear();
  }

  heal(): void {
    for (const [client, upstream] of this.open) {
      client.destroy();
      upstream?.destroy();
    }
    this.open.clear();
    this.severed = false;
  }

  async close(): Promise<void> {
    this.heal();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

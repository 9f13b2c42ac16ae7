import { parseArgs } from 'node:util';
import { startStripeSandbox } from './index.js';

const USAGE = `Usage: onepagepay-sandbox [--stripe-port 12111] [--host 127.0.0.1]
                          [--stripe-webhook-url URL --stripe-webhook-secret whsec_...]
                          [--stripe-state FILE]   keep the Stripe objects in FILE across restarts`;

/** Starts the sandboxes from command-line arguments and keeps them running until a signal. */
export async function runCli(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'stripe-port': { type: 'string', default: '12111' },
      host: { type: 'string', default: '127.0.0.1' },
      'stripe-webhook-url': { type: 'string' },
      'stripe-webhook-secret': { type: 'string' },
      'stripe-state': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values['stripe-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--stripe-port must be a port number, got '${values['stripe-port']}'.\n${USAGE}`);
  }
  const webhookUrl = values['stripe-webhook-url'];
  const webhookSecret = values['stripe-webhook-secret'];
  if ((webhookUrl === undefined) !== (webhookSecret === undefined)) {
    throw new Error(`--stripe-webhook-url and --stripe-webhook-secret go together.\n${USAGE}`);
  }
  const stripe = await startStripeSandbox({
    port,
    host: values.host,
    webhook: webhookUrl && webhookSecret ? { url: webhookUrl, secret: webhookSecret } : null,
    ...(values['stripe-state'] === undefined ? {} : { stateFile: values['stripe-state'] }),
  });
  console.log(`Stripe sandbox listening on ${stripe.url}`);
  console.log(`  secret key ${stripe.keys.secretTest}, publishable key ${stripe.keys.publishableTest}`);
  console.log(`  Stripe.js fake: ${stripe.url}/js/stripe.js`);
  const stop = () => {
    void stripe.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

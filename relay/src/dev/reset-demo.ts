import { readDataDir } from '../config.js';
import { resetDemoData } from './demo-data.js';

/** `npm run demo:reset`: the next `npm start` begins with an empty database and an empty Stripe sandbox. */
resetDemoData(readDataDir(process.env)).then(
  (removed) => {
    console.log(removed.length > 0 ? `Removed ${removed.join(' and ')}.` : 'Nothing to reset.');
  },
  (error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

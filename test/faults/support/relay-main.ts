// One relay process of the fault suite, run from source: `onepagepay-relay serve` with the
// environment the suite gives it (relay/bin would prefer a compiled dist/ when one exists).
import { runCli } from '../../../relay/src/cli/main.js';

process.exitCode = await runCli(['serve']);

/**
 * `npm run accounts -- create|list|show|suspend|reactivate|products|audit …`: the vendor's operators
 * manage a region's accounts through its IAM-authorized operator routes (docs/operators.md). The local
 * platform by default; `--deployed --region <region>` for a deployed one.
 */
import { runAccounts } from './accounts-cli.ts';

process.exit(await runAccounts(process.argv.slice(2)));

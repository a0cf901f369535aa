// The `embedline` command: each subcommand lives in its own file and registers itself here.
import { Command } from 'commander';
import { endQuietlyWhenOutputCloses } from './closed-output.ts';
import { registerCollectionsCommand } from './collections-command.ts';
import { registerEmbedCommand } from './embed-command.ts';
import { registerEvalCommand } from './eval-command.ts';
import { registerIngestCommand } from './ingest-command.ts';
import { registerJobsCommand } from './jobs-command.ts';
import { registerModelCommand } from './model-command.ts';
import { registerReindexCommand } from './reindex-command.ts';
import { registerSearchCommand } from './search-command.ts';
import { registerServeCommand } from './serve-command.ts';
import { registerStatusCommand } from './status-command.ts';
import { registerWorkerCommand } from './worker-command.ts';
import { reportError } from './run-command.ts';

endQuietlyWhenOutputCloses();

const program = new Command('embedline')
  .description('batch vector indexing: corpus → chunks → BullMQ → ONNX BERT workers → vector store → search')
  .option('--verbose', 'show stack traces on errors')
  .showHelpAfterError();

registerIngestCommand(program);
registerSearchCommand(program);
registerServeCommand(program);
registerWorkerCommand(program);
registerReindexCommand(program);
registerCollectionsCommand(program);
registerStatusCommand(program);
registerJobsCommand(program);
registerEmbedCommand(program);
registerEvalCommand(program);
registerModelCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  reportError(err);
  process.exitCode = 1;
}

// The `embedline` command: each subcommand lives in its own file and registers itself here.
import { Command } from 'commander';
import { registerEmbedCommand } from './embed-command.ts';
import { registerEvalCommand } from './eval-command.ts';
import { registerModelCommand } from './model-command.ts';
import { reportError } from './run-command.ts';

const program = new Command('embedline')
  .description('batch vector indexing: corpus → chunks → BullMQ → ONNX BERT workers → vector store → search')
  .option('--verbose', 'show stack traces on errors')
  .showHelpAfterError();

registerEmbedCommand(program);
registerEvalCommand(program);
registerModelCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  reportError(err);
  process.exitCode = 1;
}

/**
 * The `sentiment-lens` command line: classify, eval and train over the core.
 * Exit codes: 0 success, 1 bad input (the message names the file and line), 2 usage error.
 * `check` is a linter: 0 no findings, 1 findings, 2 usage error, 3 bad input.
 */
import { checkCommand } from './check';
import { classifyCommand } from './classify';
import { evalCommand } from './evaluate';
import { trainCommand } from './train';
import { prepareCommand } from './prepare';
import { CliError, CommandContext, commandUsage, USAGE, EXIT_USAGE, wantsHelp } from './common';
import { engineHelperScript } from '../worker/engineHelperScript';

/** A command resolves to its exit code, or to nothing for 0. */
const COMMANDS: Record<string, (argv: string[], context: CommandContext) => Promise<void | number>> = {
  check: checkCommand,
  classify: classifyCommand,
  eval: evalCommand,
  train: trainCommand,
  prepare: prepareCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? process.stdout : process.stderr).write(USAGE);
    return name ? 0 : EXIT_USAGE;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`sentiment-lens: unknown command "${name}"\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (wantsHelp(rest)) {
    process.stdout.write(commandUsage(name));
    return 0;
  }
  try {
    const code = await command(rest, { helperScript: engineHelperScript() });
    return typeof code === 'number' ? code : 0;
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`sentiment-lens ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    // One line for the user; the stack only on request (it helps a bug report, not a user).
    const debug = process.env.SENTIMENT_LENS_DEBUG === '1' && error instanceof Error && error.stack;
    process.stderr.write(
      `sentiment-lens ${name}: ${debug || (error instanceof Error ? error.message : String(error))}\n`,
    );
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

import type { Command } from 'commander';

/** `vitrina airflow export`: the generator is loaded only when the command runs. */
export function registerAirflowCommands(program: Command): void {
  program
    .command('airflow')
    .description('Apache Airflow DAGs that run the schedules of the location through vitrina materialize')
    .command('export')
    .description('write a DAG file: one DAG per schedule, one task per asset group, in dependency order')
    .option('--out <file>', 'the .py file, or a folder for it (default airflow/vitrina_<location>.py)')
    .option('--timeout <minutes>', 'execution timeout of each task', '180')
    .action(async (options: { out?: string; timeout?: string }) => {
      const { airflowExportCommand } = await import('../../airflow/export.ts');
      process.exitCode = await airflowExportCommand(options);
    });
}

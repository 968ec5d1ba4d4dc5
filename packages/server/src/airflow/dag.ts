import { type AirflowDag, type AirflowTask, type DagLocation, planDags } from './tasks.ts';

/** How the tasks run `vitrina` on Airflow's worker, as the export found it. */
export interface AirflowRuntime {
  /** The program and its arguments before `materialize`: node, its flags, main.ts (absolute). */
  command: readonly string[];
  /** The absolute working directory of every task: where the export was run. */
  cwd: string;
  /** Written into the file: what chooses the location, never a secret. */
  env: Readonly<Record<string, string>>;
  /** Variables each task needs from the worker's environment, because they hold a secret. */
  workerEnv: readonly string[];
  timeoutMinutes: number;
  /** Run storage is embedded, which one process opens at a time. */
  embeddedStorage: boolean;
  /** The command line that writes this file again. */
  exportedWith: readonly string[];
}

export interface AirflowFile {
  text: string;
  dags: AirflowDag[];
}

/** The Python DAG file for a location: one DAG per schedule, one task per asset group. */
export function airflowDagFile(location: DagLocation, runtime: AirflowRuntime): AirflowFile {
  const badName = runtime.workerEnv.find((name) => !/^[A-Z_][A-Z0-9_]*$/.test(name));
  if (badName !== undefined) throw new Error(`not an environment variable name: ${JSON.stringify(badName)}`);
  const dags = planDags(location);
  const text = [
    `"""${docstringText(docstring(location.name, dags, runtime))}"""`,
    '',
    prelude(runtime),
    ...dags.map((dag) => dagCode(dag, location.name, runtime)),
  ].join('\n');
  return { text, dags };
}

/** A Python string literal: every escape JSON writes means the same in Python. */
const py = (text: string) => JSON.stringify(text);

const pyList = (items: readonly string[]) => `[${items.map(py).join(', ')}]`;

/** Text for inside `"""…"""`: a backslash or quote cannot end or change the string. */
function docstringText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped.
      /[\u0000-\u0009\u000b-\u001f\u007f]/g,
      (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
    );
}

/** For showing a command line to a person; the tasks' own commands are quoted by Python's shlex. */
function shellWords(words: readonly string[]): string {
  return words
    .map((word) => (/^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

function docstring(location: string, dags: readonly AirflowDag[], runtime: AirflowRuntime): string {
  const lines = [
    `Airflow DAGs for the Vitrina code location ${location}: Airflow orchestrates, Vitrina does the work.`,
    '',
    'Written by `vitrina airflow export`; rather than editing it, export again after the assets or',
    'schedules change or the repository moves:',
    `    cd ${shellWords([runtime.cwd])} && ${shellWords(runtime.exportedWith)}`,
    '',
  ];
  for (const dag of dags) {
    const when = dag.schedule ? `${dag.schedule.cron} (${dag.schedule.timezone})` : 'triggered by hand';
    lines.push(`${dag.id}: ${when}, selection ${dag.selection} — ${dag.description}`);
    if (dag.tasks.length === 0) lines.push('    no task: the selection holds only external assets');
    for (const task of dag.tasks) {
      const after = task.upstream.length > 0 ? ` (after ${task.upstream.join(', ')})` : '';
      lines.push(`    ${task.id}: materialize ${task.selection}${after}`);
    }
  }
  lines.push(
    '',
    "Each task is one asset group of its DAG's selection, external assets left out, run as",
    '`vitrina materialize <its assets>`, which materialises their stale partitions; a group waits for',
    'the groups its assets depend on. Airflow does not retry (retries=0): Vitrina retries transient',
    `failures itself. A task fails when anything failed or was blocked, or after ${runtime.timeoutMinutes} minutes.`,
  );
  for (const dag of dags.filter((each) => each.groupCycle !== null)) {
    lines.push(
      '',
      `The asset groups of ${dag.id} depend on each other in a cycle (${dag.groupCycle!.join(' → ')}),`,
      'so that DAG has one task per asset instead, with the dependencies of the assets.',
    );
  }
  const written = Object.entries(runtime.env).map(([name, value]) => `    ${name}=${value}`);
  lines.push(
    '',
    `Every task runs in ${runtime.cwd} as`,
    `    ${shellWords(runtime.command)} materialize <selection>`,
    ...(written.length > 0 ? ['with, set here,', ...written] : []),
    `Everything else comes from the worker's environment and from ${runtime.cwd}/.env, which the CLI`,
    'reads itself: no password or other secret is written into this file.',
  );
  for (const name of runtime.workerEnv) {
    lines.push(
      `${name} holds a secret, so the worker must have it in its environment; a task without it fails.`,
    );
  }
  if (runtime.embeddedStorage) {
    lines.push(
      '',
      'Run storage is embedded (VITRINA_DATABASE_URL is not set), and one process at a time may open it:',
      'each DAG runs one task at a time, DAGs must not overlap, and no `vitrina serve` or `vitrina daemon`',
      'may run meanwhile. Set VITRINA_DATABASE_URL so that every process shares PostgreSQL instead.',
    );
  }
  lines.push(
    '',
    "Leave Vitrina's own scheduler off (VITRINA_SCHEDULER=off for vitrina serve, no vitrina daemon), so",
    'that the schedules do not fire twice.',
    '',
  );
  return lines.join('\n');
}

function prelude(runtime: AirflowRuntime): string {
  const env = Object.entries(runtime.env).map(([name, value]) => `    ${py(name)}: ${py(value)},\n`);
  return `from __future__ import annotations

import datetime
import shlex

import pendulum
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, CronTriggerTimetable

VITRINA = ${pyList(runtime.command)}
CWD = ${py(runtime.cwd)}
ENV = {
${env.join('')}}
WORKER_ENV = ${pyList(runtime.workerEnv)}
TIMEOUT = datetime.timedelta(minutes=${runtime.timeoutMinutes})


def _require(name: str) -> str:
    message = f"vitrina: set {name} in the Airflow worker's environment; the DAG file does not hold it"
    return f'test -n "\${{{name}:-}}" || {{ echo {shlex.quote(message)} >&2; exit 2; }}; '


class VitrinaMaterialize(BashOperator):
    """Runs \`vitrina materialize <selection>\`, which materialises the selection's stale partitions.

    The command, environment and directory are literal text, not Jinja templates, so that braces in a
    path or selection stay as written. Vitrina retries transient failures itself, so Airflow does not.
    """

    template_fields = ()
    template_ext = ()

    def __init__(self, *, selection: str, **kwargs) -> None:
        command = shlex.join([*VITRINA, "materialize", selection])
        super().__init__(
            bash_command="".join(_require(name) for name in WORKER_ENV) + "exec " + command,
            cwd=CWD,
            env=ENV,
            append_env=True,
            retries=0,
            execution_timeout=TIMEOUT,
            skip_on_exit_code=None,
            **kwargs,
        )
`;
}

function dagCode(dag: AirflowDag, location: string, runtime: AirflowRuntime): string {
  const schedule = dag.schedule
    ? `CronTriggerTimetable(${py(dag.schedule.cron)}, timezone=pendulum.timezone(${py(dag.schedule.timezone)}))`
    : 'None';
  const tasks = dag.tasks.map((task) => `        ${py(task.id)}: ${taskCode(task)},\n`);
  const ref = (id: string) => `tasks[${py(id)}]`;
  const edges = dag.tasks
    .filter((task) => task.upstream.length > 0)
    .map((task) => {
      const upstream =
        task.upstream.length === 1 ? ref(task.upstream[0]!) : `[${task.upstream.map(ref).join(', ')}]`;
      return `    ${upstream} >> ${ref(task.id)}\n`;
    });
  return `
with DAG(
    dag_id=${py(dag.id)},
    description=${py(dag.description)},
    schedule=${schedule},
    catchup=False,
    max_active_runs=1,${runtime.embeddedStorage ? '\n    max_active_tasks=1,' : ''}
    tags=${pyList(['vitrina', location.slice(0, 100)])},
):
    tasks = {
${tasks.join('')}    }
${edges.join('')}`;
}

function taskCode(task: AirflowTask): string {
  const doc = `Materialises the stale partitions of ${task.keys.join(', ')}.`;
  return `VitrinaMaterialize(task_id=${py(task.id)}, selection=${py(task.selection)}, doc_md=${py(doc)})`;
}

/** The headless runner as a child process (what a user runs): exit code, stdout and stderr. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

export async function experiment(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return script('experiment', args);
}

/** Any scripts/<name>.ts as a child process. */
export async function script(name: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', `scripts/${name}.ts`, ...args], { cwd: ROOT, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** With --json the result is the last line of stdout. */
export const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);

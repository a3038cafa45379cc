/**
 * The one place that runs system tools. A tool that is not installed is reported with the Debian
 * package that provides it, so the user knows what to `apt-get install`.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Debian package of each tool the project runs. */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  debootstrap: 'debootstrap',
  rinse: 'rinse',
  dpkg: 'dpkg',
  tar: 'tar',
  zstd: 'zstd',
  xz: 'xz-utils',
  gzip: 'gzip',
  bzip2: 'bzip2',
  cp: 'coreutils',
  openssl: 'openssl',
  ip: 'iproute2',
  nsenter: 'util-linux',
  systemctl: 'systemd',
  'update-rc.d': 'init-system-helpers',
  prlimit: 'util-linux',
  sudo: 'sudo',
};

export class MissingToolError extends Error {
  constructor(
    readonly tool: string,
    readonly debianPackage: string,
  ) {
    super(`${tool}: command not found; install the Debian package '${debianPackage}' (apt-get install ${debianPackage})`);
    this.name = 'MissingToolError';
  }
}

/** The absolute path of a tool on PATH (plus the sbin directories root expects), or undefined. */
export function findTool(tool: string, path = process.env.PATH ?? ''): string | undefined {
  const dirs = [...path.split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

export function requireTool(tool: string): string {
  const found = findTool(tool);
  if (!found) throw new MissingToolError(tool, TOOL_PACKAGES[tool] ?? tool);
  return found;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Where stdout and stderr go as they arrive (an install log); they are also returned. */
  onOutput?: (chunk: string) => void;
  signal?: AbortSignal;
  input?: string;
  /**
   * Where stdout goes instead of being collected (binary, with backpressure: an archive written
   * by tar); the caller waits for the stream's own end. `onOutput` then sees stderr only.
   */
  stdout?: NodeJS.WritableStream;
}

export interface RunResult {
  exitCode: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export class ToolFailedError extends Error {
  constructor(
    readonly tool: string,
    readonly result: RunResult,
  ) {
    const why = result.signal ? `killed by ${result.signal}` : `exit status ${result.exitCode}`;
    const last = result.stderr.trim().split('\n').slice(-3).join('\n');
    super(`${tool} failed (${why})${last ? `: ${last}` : ''}`);
    this.name = 'ToolFailedError';
  }
}

/** Runs a tool to completion. Rejects with MissingToolError, or ToolFailedError on a non-zero exit. */
export function runTool(tool: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const path = requireTool(tool);
  return spawnToEnd(path, args, opts).then((result) => {
    if (result.exitCode !== 0) throw new ToolFailedError(tool, result);
    return result;
  });
}

/**
 * Runs a program of this project named by its absolute path (not looked up on PATH: the zones
 * service runs the zoneadm bin it was given, docs/autoboot.md), to completion. Resolves with its
 * result whatever its exit status.
 */
export function runProgram(path: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  if (!isAbsolute(path)) return Promise.reject(new Error(`${path}: not an absolute path`));
  return spawnToEnd(path, args, opts);
}

function spawnToEnd(path: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      signal: opts.signal,
    });
    let stdout = '';
    let stderr = '';
    if (opts.stdout) {
      child.stdout!.pipe(opts.stdout);
    } else {
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        opts.onOutput?.(d);
      });
    }
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      opts.onOutput?.(d);
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    child.on('error', (e) => reject(e));
    child.on('close', (code, signal) => resolve({ exitCode: code ?? -1, signal, stdout, stderr }));
  });
}

/**
 * A closed pipe on stdout (`zonecfg -z z info | head -1`) ends the program quietly, as a C
 * tool killed by SIGPIPE would, instead of an unhandled EPIPE stack trace.
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
      throw e;
    });
  }
}

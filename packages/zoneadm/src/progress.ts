/**
 * Install progress on a terminal: one spinner line with the current step, each finished step kept
 * as a `✓`/`✗` line. No dependency: a 10-frame braille spinner on a timer.
 */
import type { InstallDisplay } from '@zones/core/zoneadm/install';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function spinnerDisplay(stream: NodeJS.WriteStream = process.stdout): InstallDisplay {
  let current: string | undefined;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const started = Date.now();
  const draw = () => {
    if (current === undefined) return;
    const secs = Math.floor((Date.now() - started) / 1000);
    stream.write(`\r\x1b[K${FRAMES[frame++ % FRAMES.length]} ${current} (${secs}s)`);
  };
  const finish = (mark: string) => {
    if (current !== undefined) stream.write(`\r\x1b[K${mark} ${current}\n`);
    current = undefined;
  };
  return {
    step(message: string) {
      finish('✓');
      current = message;
      if (!timer) {
        timer = setInterval(draw, 80);
        timer.unref();
      }
      draw();
    },
    end(ok: boolean) {
      if (timer) clearInterval(timer);
      timer = undefined;
      finish(ok ? '✓' : '✗');
    },
  };
}

/** `01`, `12`: a lab's number as its sheet and the command line spell it. */
export function labNumber(id: number): string {
  return String(id).padStart(2, '0');
}

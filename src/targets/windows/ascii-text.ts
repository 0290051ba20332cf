/**
 * A long text of ASCII pieces, such as the 150,000 member lines of one verify script (19 MB in all). Each piece is
 * copied into a buffer as it comes, so that it dies young, and the buffer (doubled when full) is read back once,
 * as one flat string. Adding to one string (a rope of 300,000 nodes that lives until the end), gathering the lines
 * in an array to join, or joining 64 KiB parts each cost about twice the CPU, most of it in the garbage collector.
 *
 * Only for pieces known to be ASCII (checked names and addresses, fixed text): a character above U+00FF would
 * lose its high byte.
 */
export class AsciiText {
  private buffer = Buffer.allocUnsafe(1 << 16);
  private at = 0;

  add(piece: string): void {
    if (this.at + piece.length > this.buffer.length) {
      const larger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + piece.length));
      this.buffer.copy(larger, 0, 0, this.at);
      this.buffer = larger;
    }
    this.at += this.buffer.write(piece, this.at, 'latin1');
  }

  /** Everything added, as one string. */
  text(): string {
    return this.buffer.toString('latin1', 0, this.at);
  }
}

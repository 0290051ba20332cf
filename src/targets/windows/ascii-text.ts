/**
 * A long text of ASCII pieces, such as the 150,000 member lines of one verify script (19 MB in all). Each piece is
 * copied into a 64 KiB buffer as it comes, so that it dies young, and the buffer is read back as one flat string
 * whenever it fills: adding to one string (a rope of 300,000 nodes that lives until the end) or gathering the lines in an
 * array to join cost two to three times as much CPU, most of it in the garbage collector.
 *
 * Only for pieces known to be ASCII (checked names and addresses, fixed text): a character above U+00FF would
 * lose its high byte.
 */
export class AsciiText {
  private readonly buffer = Buffer.allocUnsafe(1 << 16);
  private at = 0;
  private readonly parts: string[] = [];

  add(piece: string): void {
    if (this.at + piece.length > this.buffer.length) {
      this.flush();
      if (piece.length > this.buffer.length) {
        this.parts.push(piece);
        return;
      }
    }
    this.at += this.buffer.write(piece, this.at, 'latin1');
  }

  /** Everything added, as one string. */
  text(): string {
    this.flush();
    return this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
  }

  private flush(): void {
    if (this.at === 0) return;
    this.parts.push(this.buffer.toString('latin1', 0, this.at));
    this.at = 0;
  }
}

/** The hints of one exercise, revealed one at a time: how many are shown and what the button says. */
export class HintSteps {
  readonly total: number;
  private count: number;

  constructor(total: number, shown: number) {
    this.total = Math.max(0, Math.floor(total));
    this.count = Math.min(this.total, Math.max(0, Math.floor(shown)));
  }

  /** How many hints are revealed. */
  get shown(): number {
    return this.count;
  }

  /** Whether every hint is revealed. */
  get done(): boolean {
    return this.count >= this.total;
  }

  /** The button's words for the next hint ("Show a hint, 1 of 3"), or undefined when none is left. */
  label(): string | undefined {
    return this.done ? undefined : `Show a hint, ${this.count + 1} of ${this.total}`;
  }

  /** What is said once every hint is out. */
  summary(): string {
    return this.total === 1 ? 'The one hint is shown.' : `All ${this.total} hints are shown.`;
  }

  /** Reveals the next hint: its index, or undefined when none is left. */
  next(): number | undefined {
    if (this.done) return undefined;
    return this.count++;
  }
}

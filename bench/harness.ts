/** One section of `npm run bench`: a title and rows of figures, printed as a table and saved as JSON. */
export interface BenchSection {
  readonly title: string;
  /** Column names, in order. */
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
  /** Anything a reader needs to interpret the figures (machine, settings, what was compared). */
  readonly notes?: readonly string[];
}

/** A bench file exports `bench` returning its sections; it is skipped (with a reason) when it cannot run here. */
export type Bench = () => Promise<BenchSection[]>;

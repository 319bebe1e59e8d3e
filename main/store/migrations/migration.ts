/** One numbered schema step. Append-only: never edit a released migration, add the next number. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

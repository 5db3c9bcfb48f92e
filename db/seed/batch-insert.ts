// Multi-row INSERTs through prepared statements: one statement per full batch, reused, so a
// large seed costs a few thousand statement executions instead of hundreds of thousands.
import type Database from 'better-sqlite3';

export class BatchInsert {
  readonly #client: Database.Database;
  readonly #table: string;
  readonly #columns: readonly string[];
  readonly #batchRows: number;
  readonly #full: Database.Statement;
  #pending: unknown[] = [];
  #rows = 0;
  count = 0;

  constructor(client: Database.Database, table: string, columns: readonly string[], batchRows = 200) {
    this.#client = client;
    this.#table = table;
    this.#columns = columns;
    this.#batchRows = batchRows;
    this.#full = client.prepare(this.#sql(batchRows));
  }

  #sql(rows: number): string {
    const row = `(${this.#columns.map(() => '?').join(', ')})`;
    return `INSERT INTO ${this.#table} (${this.#columns.join(', ')}) VALUES ${Array(rows).fill(row).join(', ')}`;
  }

  add(values: readonly unknown[]): void {
    if (values.length !== this.#columns.length) throw new Error(`${this.#table}: expected ${this.#columns.length} values`);
    this.#pending.push(...values);
    this.count++;
    if (++this.#rows === this.#batchRows) {
      this.#full.run(this.#pending);
      this.#pending = [];
      this.#rows = 0;
    }
  }

  flush(): void {
    if (this.#rows > 0) this.#client.prepare(this.#sql(this.#rows)).run(this.#pending);
    this.#pending = [];
    this.#rows = 0;
  }
}

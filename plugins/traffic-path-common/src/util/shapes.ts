/*
 * V8 frees an object shape (hidden class) when a full collection finds no
 * object of it alive, and with it the optimised code of every function that
 * read objects of that shape. A report's index, context and findings die
 * with the report, so a collection between two reports (a backend's idle
 * time, the benchmark's forced one) made the next report compile those
 * functions again. One object of a shape, kept for the life of the process,
 * keeps the shape.
 */
const kept: object[] = [];

/** Keeps this object, and so its shape, alive for the life of the process. */
export function keepShape(example: object): void {
  kept.push(example);
}

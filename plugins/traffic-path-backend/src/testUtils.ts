/*
 * For benchmarks and tools (`@internal/plugin-traffic-path-backend/testUtils`):
 * the ownership review's store on a database of one's own, e.g. to seed
 * the summaries a backend then answers.
 */
export { openExposureStore } from './database/exposureStore';
export type {
  ExposureStore,
  StoredChange,
  StoredEntry,
  StoredSummary,
} from './database/exposureStore';

/** Browser-safe entry point of the state model. */
export * from './state';
export { EventLog } from './event-log';
export { TraceModel, DEFAULT_CHECKPOINT_INTERVAL, type TraceModelOptions } from './trace-model';
export { categoryOf, type ObjectCategory } from './categories';

export { TracedFunction } from './traced-function';
export type { ITracedFunction, TracedFunctionAttributes } from './imported';
export {
  FUNCTION_DEFAULTS,
  NODE_RUNTIMES,
  type FunctionVpcConfig,
  type NodeRuntime,
  type TracedFunctionProps,
} from './props';
export {
  ADOT_MODES,
  APPLICATION_SIGNALS_LAYERS,
  EXEC_WRAPPERS,
  LEGACY_COLLECTOR_REGIONS,
  adotLayer,
  layerMismatches,
  partitionOf,
  type AdotLayer,
  type AdotMode,
  type Architecture,
} from './layers';
export {
  BundleError,
  RUNTIME_PROVIDED,
  bundleHandler,
  bundleHandlers,
  lambdaHandler,
  type BundleOptions,
  type HandlerBundle,
} from './bundle';

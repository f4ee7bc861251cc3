export { TracedFunction } from './traced-function';
export type { ITracedFunction, TracedFunctionAttributes } from './imported';
export { TRACED_FUNCTION_INPUTS, ADOT_MODES, NODE_RUNTIMES } from './inputs';
export type { AdotMode, FunctionVpcConfig, LogAlarm, NodeRuntime, TracedFunctionProps } from './props';
export {
  APPLICATION_SIGNALS_LAYERS,
  EXEC_WRAPPERS,
  LEGACY_COLLECTOR_REGIONS,
  adotLayer,
  layerMismatches,
  partitionOf,
  type AdotLayer,
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

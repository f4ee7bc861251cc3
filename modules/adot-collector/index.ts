export { AdotCollector } from './adot-collector';
export { isPinnedImage } from '../core/images';
export { ADOT_COLLECTOR_INPUTS } from './inputs';
export type { CollectorCluster } from './collector-cluster';
export type { AdotCollectorProps } from './props';
export {
  ADOT_COLLECTOR_IMAGE,
  ADOT_COLLECTOR_VERSION,
  COLLECTOR_CONTAINER,
  DEFAULT_ADOT_TEMPLATE,
  DEFAULT_COMMAND,
  DEFAULT_EMF_LOG_GROUP,
  DEFAULT_METRICS_NAMESPACE,
  collectorConfig,
  type CollectorConfigOptions,
} from './defaults';
export {
  AdotTemplateError,
  renderAdotTaskTemplate,
  type AdotTemplateValues,
  type ContainerDefinition,
  type TaskDefinitionTemplate,
} from './template';

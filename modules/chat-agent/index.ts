export { ChatAgent, type IChatAgent } from './chat-agent';
export { CHAT_AGENT_INPUTS, DEFAULT_INSTRUCTION } from './inputs';
export type { ChatAgentProps } from './props';
export {
  DEFAULT_AGENT_MODEL,
  INFERENCE_PROFILE_PREFIXES,
  KNOWN_MODELS,
  defaultAgentModel,
  geographicProfilePrefix,
  inferenceProfileArn,
  modelInvokeStatements,
  modelLifecycleFinding,
  parseModelRef,
  type InferenceProfilePrefix,
  type KnownModel,
  type Lifecycle,
  type LifecycleFinding,
  type ModelArnContext,
  type ModelRef,
  type ModelStatement,
} from './models';

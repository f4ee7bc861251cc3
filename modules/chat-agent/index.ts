export { ChatAgent, existingAgentAlias } from './chat-agent';
export { AGENT_DEFAULTS, type AgentAliasRef, type ChatAgentProps } from './props';

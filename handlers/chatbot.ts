/**
 * POST /chat: asks the Bedrock agent, queues the enquiry, answers with the trace id.
 * Environment: BEDROCK_AGENT_ID, BEDROCK_AGENT_ALIAS_ID, ENQUIRY_QUEUE_URL, SIMULATE_FAILURE.
 *
 * Each step is a span (validate-request, knowledge-lookup, publish-enquiry); the SDK's own client
 * spans for InvokeAgent and SendMessage nest under them when the ADOT layer instruments the SDK.
 */
import { randomUUID } from 'node:crypto';
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { agentFailure, askAgent, type AgentRef } from './lib/agent';
import { parseChatRequest, type ChatRequest, type Enquiry } from './lib/enquiry';
import { BadRequest, errorResponse, json, jsonBody } from './lib/http';
import { errorFields, logError, logInfo } from './lib/log';
import { publishEnquiry } from './lib/queue';
import { currentTraceId, inSpan } from './lib/tracing';

// Created once per execution environment and reused across invocations.
const agentClient = new BedrockAgentRuntimeClient({});
const sqsClient = new SQSClient({});

/** The message the failure switch throws: look for it in the X-Ray trace. */
export const SIMULATED_FAILURE = 'Simulated failure in knowledge base query';

interface ChatbotConfig {
  readonly agent: AgentRef;
  readonly queueUrl: string;
  readonly simulateFailure: boolean;
}

function readConfig(env: NodeJS.ProcessEnv): ChatbotConfig | string {
  const missing = ['BEDROCK_AGENT_ID', 'BEDROCK_AGENT_ALIAS_ID', 'ENQUIRY_QUEUE_URL'].filter((k) => !env[k]);
  if (missing.length > 0) return `missing environment: ${missing.join(', ')}`;
  return {
    agent: { agentId: env.BEDROCK_AGENT_ID as string, aliasId: env.BEDROCK_AGENT_ALIAS_ID as string },
    queueUrl: env.ENQUIRY_QUEUE_URL as string,
    simulateFailure: env.SIMULATE_FAILURE === 'true',
  };
}

/** Thrown by the knowledge lookup when the failure switch is on. */
class SimulatedFailure extends Error {
  constructor() {
    super(SIMULATED_FAILURE);
    this.name = 'SimulatedFailure';
  }
}

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const traceId = currentTraceId();
  const config = readConfig(process.env);
  if (typeof config === 'string') {
    logError('chatbot misconfigured', { problem: config, traceId });
    return errorResponse(500, 'the chatbot is misconfigured', { traceId });
  }

  const request = await inSpan('validate-request', (span): ChatRequest | BadRequest => {
    try {
      const parsed = parseChatRequest(jsonBody(event));
      span.setAttribute('chat.question_chars', [...parsed.question].length);
      return parsed;
    } catch (e) {
      if (!(e instanceof BadRequest)) throw e;
      // The caller's mistake, not a fault of the service: an event, not an error status.
      span.addEvent('request rejected', { 'http.response.status_code': e.statusCode, 'chat.problem': e.message });
      return e;
    }
  });
  if (request instanceof BadRequest) return errorResponse(request.statusCode, request.message);
  const { question } = request;
  const sessionId = request.sessionId ?? randomUUID();

  let answer: string;
  try {
    answer = await inSpan('knowledge-lookup', async (span) => {
      span.setAttributes({
        'chat.session_id': sessionId,
        'bedrock.agent_id': config.agent.agentId,
        'bedrock.agent_alias_id': config.agent.aliasId,
      });
      if (config.simulateFailure) throw new SimulatedFailure();
      const text = await askAgent(agentClient, config.agent, sessionId, question);
      span.setAttribute('chat.answer_chars', text.length);
      return text;
    });
  } catch (e) {
    if (e instanceof SimulatedFailure) {
      logError('knowledge lookup failed (simulated)', { ...errorFields(e), sessionId, traceId });
      return errorResponse(500, 'the assistant failed to answer', { traceId });
    }
    const failure = agentFailure(e);
    logError('InvokeAgent failed', { ...errorFields(e), statusCode: failure.statusCode, sessionId, traceId });
    return errorResponse(failure.statusCode, failure.message, { traceId });
  }

  const askedAtMs = event.requestContext?.requestTimeEpoch ?? Date.now();
  const enquiry: Enquiry = {
    enquiryId: randomUUID(),
    question,
    answer,
    sessionId,
    askedAt: new Date(askedAtMs).toISOString(),
  };
  try {
    const messageId = await inSpan('publish-enquiry', async (span) => {
      span.setAttribute('chat.enquiry_id', enquiry.enquiryId);
      return publishEnquiry(sqsClient, config.queueUrl, enquiry);
    });
    logInfo('enquiry queued', { enquiryId: enquiry.enquiryId, messageId, traceId });
  } catch (e) {
    // The user still gets the answer; the full enquiry is logged so it can be replayed.
    logError('enquiry not queued; replay it from this log line', { ...errorFields(e), enquiry, traceId });
  }
  return json(200, { answer, sessionId, enquiryId: enquiry.enquiryId, traceId });
};

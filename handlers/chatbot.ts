/**
 * POST /chat: asks the Bedrock agent, queues the enquiry, answers with the trace id.
 * Environment: BEDROCK_AGENT_ID, BEDROCK_AGENT_ALIAS_ID, ENQUIRY_QUEUE_URL.
 */
import { randomUUID } from 'node:crypto';
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { agentFailure, askAgent, type AgentRef } from './lib/agent';
import { parseChatRequest, type Enquiry } from './lib/enquiry';
import { BadRequest, errorResponse, json, jsonBody } from './lib/http';
import { errorFields, logError, logInfo } from './lib/log';
import { publishEnquiry } from './lib/queue';
import { currentTraceId } from './lib/trace';

// Created once per execution environment and reused across invocations.
const agentClient = new BedrockAgentRuntimeClient({});
const sqsClient = new SQSClient({});

interface ChatbotConfig {
  readonly agent: AgentRef;
  readonly queueUrl: string;
}

function readConfig(env: NodeJS.ProcessEnv): ChatbotConfig | string {
  const missing = ['BEDROCK_AGENT_ID', 'BEDROCK_AGENT_ALIAS_ID', 'ENQUIRY_QUEUE_URL'].filter((k) => !env[k]);
  if (missing.length > 0) return `missing environment: ${missing.join(', ')}`;
  return {
    agent: { agentId: env.BEDROCK_AGENT_ID as string, aliasId: env.BEDROCK_AGENT_ALIAS_ID as string },
    queueUrl: env.ENQUIRY_QUEUE_URL as string,
  };
}

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const traceId = currentTraceId();
  const config = readConfig(process.env);
  if (typeof config === 'string') {
    logError('chatbot misconfigured', { problem: config, traceId });
    return errorResponse(500, 'the chatbot is misconfigured', { traceId });
  }

  let question: string;
  let sessionId: string;
  try {
    const request = parseChatRequest(jsonBody(event));
    question = request.question;
    sessionId = request.sessionId ?? randomUUID();
  } catch (e) {
    if (e instanceof BadRequest) return errorResponse(e.statusCode, e.message);
    throw e;
  }

  let answer: string;
  try {
    answer = await askAgent(agentClient, config.agent, sessionId, question);
  } catch (e) {
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
    const messageId = await publishEnquiry(sqsClient, config.queueUrl, enquiry);
    logInfo('enquiry queued', { enquiryId: enquiry.enquiryId, messageId, traceId });
  } catch (e) {
    // The user still gets the answer; the full enquiry is logged so it can be replayed.
    logError('enquiry not queued; replay it from this log line', { ...errorFields(e), enquiry, traceId });
  }
  return json(200, { answer, sessionId, enquiryId: enquiry.enquiryId, traceId });
};

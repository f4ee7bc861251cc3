/**
 * POST /chat: asks the Bedrock agent, queues the enquiry, answers with the trace id.
 * Environment: BEDROCK_AGENT_ID, BEDROCK_AGENT_ALIAS_ID, ENQUIRY_QUEUE_URL, SESSION_KEY_ARN (the KMS
 * HMAC key that signs conversation ids: an ARN, no secret), SIMULATE_FAILURE, BEDROCK_AGENT_TRACE
 * (`true`: read the agent's trace and record its knowledge base lookups as spans).
 *
 * Each step is a span (validate-request, authorize-session, knowledge-lookup, publish-enquiry); the
 * SDK's own client spans for GenerateMac/VerifyMac, InvokeAgent and SendMessage nest under them when
 * the ADOT layer instruments the SDK. Every AWS call ends by the invocation's deadline (the Lambda's
 * remaining time less a margin): the caller always gets JSON, never a timed-out function.
 */
import { randomUUID } from 'node:crypto';
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { agentFailure, askAgent, type AgentRef, type Answer } from './lib/agent';
import { KnowledgeBaseLookups } from './lib/agent-trace';
import { DeadlineExceeded, beforeDeadline, deadlineFrom, type Deadline } from './lib/deadline';
import { parseChatRequest, type ChatRequest, type Enquiry } from './lib/enquiry';
import { BadRequest, errorResponse, fittedJson, jsonBody, readProxyEvent } from './lib/http';
import { ENQUIRY_NOT_QUEUED, errorFields, logError, logInfo } from './lib/log';
import { fitEnquiry, publishEnquiry } from './lib/queue';
import { issueSessionId, sessionFailure, sessionIdIssuedTo } from './lib/session';
import { currentTraceId, inSpan } from './lib/tracing';

// Created once per execution environment and reused across invocations.
const agentClient = new BedrockAgentRuntimeClient({});
const sqsClient = new SQSClient({});
const kmsClient = new KMSClient({});

/** The message the failure switch throws: look for it in the X-Ray trace. */
export const SIMULATED_FAILURE = 'Simulated failure in knowledge base query';

interface ChatbotConfig {
  readonly agent: AgentRef;
  readonly queueUrl: string;
  readonly sessionKeyArn: string;
  readonly simulateFailure: boolean;
  /** Ask the agent for its trace, to record its knowledge base lookups as spans. */
  readonly agentTrace: boolean;
}

function readConfig(env: NodeJS.ProcessEnv): ChatbotConfig | string {
  const required = ['BEDROCK_AGENT_ID', 'BEDROCK_AGENT_ALIAS_ID', 'ENQUIRY_QUEUE_URL', 'SESSION_KEY_ARN'];
  const missing = required.filter((k) => !env[k]);
  if (missing.length > 0) return `missing environment: ${missing.join(', ')}`;
  return {
    agent: { agentId: env.BEDROCK_AGENT_ID as string, aliasId: env.BEDROCK_AGENT_ALIAS_ID as string },
    queueUrl: env.ENQUIRY_QUEUE_URL as string,
    sessionKeyArn: env.SESSION_KEY_ARN as string,
    simulateFailure: env.SIMULATE_FAILURE === 'true',
    agentTrace: env.BEDROCK_AGENT_TRACE === 'true',
  };
}

/** Thrown by the knowledge lookup when the failure switch is on. */
class SimulatedFailure extends Error {
  constructor() {
    super(SIMULATED_FAILURE);
    this.name = 'SimulatedFailure';
  }
}

/** A response the handler answers with at once: the step failed in a way the caller is told about. */
class Answered {
  constructor(public readonly response: APIGatewayProxyResult) {}
}

const timedOut = (e: DeadlineExceeded, traceId: string | undefined, fields: Record<string, unknown> = {}) => {
  logError(`${e.step} ran out of time`, { ...errorFields(e), budgetMs: e.budgetMs, ...fields, traceId });
  return errorResponse(504, 'the assistant did not answer in time; retry', { traceId });
};

export const handler = async (
  event: APIGatewayProxyEvent,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<APIGatewayProxyResult> => {
  const deadline = deadlineFrom(context);
  const traceId = currentTraceId();
  try {
    return await chat(event, deadline, traceId);
  } catch (e) {
    if (e instanceof Answered) return e.response;
    // Nothing above should throw; if it does, the caller still gets JSON with the trace id.
    logError('chatbot failed unexpectedly', { ...errorFields(e), traceId });
    return errorResponse(500, 'the chatbot failed unexpectedly', { traceId });
  }
};

async function chat(event: unknown, deadline: Deadline, traceId: string | undefined): Promise<APIGatewayProxyResult> {
  const config = readConfig(process.env);
  if (typeof config === 'string') {
    logError('chatbot misconfigured', { problem: config, traceId });
    return errorResponse(500, 'the chatbot is misconfigured', { traceId });
  }
  const proxy = readProxyEvent(event);

  const request = await inSpan('validate-request', (span): ChatRequest | BadRequest => {
    try {
      const parsed = parseChatRequest(jsonBody(proxy));
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

  const sessionId = await authorizeSession(config, proxy.apiKeyId, request.sessionId, deadline, traceId);
  const answer = await lookUpAnswer(config, sessionId, question, deadline, traceId);

  const enquiry: Enquiry = fitEnquiry({
    enquiryId: randomUUID(),
    question,
    answer: answer.text,
    sessionId,
    askedAt: new Date(proxy.requestTimeEpoch ?? Date.now()).toISOString(),
  });
  try {
    const messageId = await inSpan('publish-enquiry', async (span) => {
      span.setAttribute('chat.enquiry_id', enquiry.enquiryId);
      return beforeDeadline(deadline, 'SendMessage', (signal) =>
        publishEnquiry(sqsClient, config.queueUrl, enquiry, signal),
      );
    });
    logInfo('enquiry queued', { enquiryId: enquiry.enquiryId, messageId, traceId });
  } catch (e) {
    // The answer exists and is paid for: the caller gets it (a 504 would only make them ask again),
    // and the full enquiry is logged so it can be replayed. Also when SendMessage ran out of time.
    logError(ENQUIRY_NOT_QUEUED, { ...errorFields(e), enquiry, traceId });
  }
  return fittedJson(
    {
      answer: answer.text,
      sessionId,
      enquiryId: enquiry.enquiryId,
      traceId,
      ...(answer.truncated ? { truncated: true } : {}),
    },
    'answer',
  );
}

/**
 * The conversation id: issued for this API key when the request has none, verified otherwise. The
 * caller never chooses a Bedrock session: a session id is `<nonce>.<HMAC(apiKeyId, nonce)>`.
 */
async function authorizeSession(
  config: ChatbotConfig,
  apiKeyId: string | undefined,
  given: string | undefined,
  deadline: Deadline,
  traceId: string | undefined,
): Promise<string> {
  if (apiKeyId === undefined) {
    // API Gateway requires a key on POST /chat; without one nothing binds the conversation to a caller.
    logError('request without an API key id', { traceId });
    throw new Answered(errorResponse(403, 'requests must carry an API key (x-api-key)', { traceId }));
  }
  const step = given === undefined ? 'GenerateMac' : 'VerifyMac';
  let sessionId: string | null;
  try {
    sessionId = await inSpan('authorize-session', async (span) => {
      span.setAttribute('chat.session_new', given === undefined);
      if (given === undefined) {
        return beforeDeadline(deadline, step, (signal) =>
          issueSessionId(kmsClient, config.sessionKeyArn, apiKeyId, signal),
        );
      }
      const valid = await beforeDeadline(deadline, step, (signal) =>
        sessionIdIssuedTo(kmsClient, config.sessionKeyArn, apiKeyId, given, signal),
      );
      // The caller's mistake, not a fault: an event, not an error status.
      if (!valid) span.addEvent('session refused', { 'http.response.status_code': 403 });
      return valid ? given : null;
    });
  } catch (e) {
    if (e instanceof DeadlineExceeded) throw new Answered(timedOut(e, traceId));
    const failure = sessionFailure(e);
    logError(`${step} failed`, { ...errorFields(e), statusCode: failure.statusCode, traceId });
    throw new Answered(errorResponse(failure.statusCode, failure.message, { traceId }));
  }
  if (sessionId === null) {
    throw new Answered(
      errorResponse(403, 'sessionId was not issued to this API key; omit it to start a new conversation', { traceId }),
    );
  }
  return sessionId;
}

async function lookUpAnswer(
  config: ChatbotConfig,
  sessionId: string,
  question: string,
  deadline: Deadline,
  traceId: string | undefined,
): Promise<Answer> {
  try {
    return await inSpan('knowledge-lookup', async (span) => {
      span.setAttributes({
        'chat.session_id': sessionId,
        'bedrock.agent_id': config.agent.agentId,
        'bedrock.agent_alias_id': config.agent.aliasId,
      });
      if (config.simulateFailure) throw new SimulatedFailure();
      const lookups = config.agentTrace ? new KnowledgeBaseLookups(config.agent.agentId) : undefined;
      const answer = await beforeDeadline(deadline, 'InvokeAgent', (signal) =>
        askAgent(agentClient, config.agent, sessionId, question, { abortSignal: signal, onTrace: lookups?.onTrace }),
      );
      span.setAttributes({ 'chat.answer_chars': answer.text.length, 'chat.answer_truncated': answer.truncated });
      if (lookups) span.setAttribute('chat.knowledge_base_lookups', lookups.count);
      return answer;
    });
  } catch (e) {
    if (e instanceof SimulatedFailure) {
      logError('knowledge lookup failed (simulated)', { ...errorFields(e), sessionId, traceId });
      throw new Answered(errorResponse(500, 'the assistant failed to answer', { traceId }));
    }
    if (e instanceof DeadlineExceeded) throw new Answered(timedOut(e, traceId, { sessionId }));
    const failure = agentFailure(e);
    logError('InvokeAgent failed', { ...errorFields(e), statusCode: failure.statusCode, sessionId, traceId });
    throw new Answered(errorResponse(failure.statusCode, failure.message, { traceId }));
  }
}

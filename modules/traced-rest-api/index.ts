export { TracedRestApi, apiGatewayLogsStatement } from './traced-rest-api';
export { BODY_METHODS, HTTP_METHODS, MAX_PATH_SEGMENTS, TRACED_REST_API_INPUTS } from './inputs';
export type { HttpMethod, MockResponse, RouteProps, ThrottleProps, TracedRestApiProps } from './props';
// Path parsing and naming helpers (pathId, modelName, ...) are internal: import them from './routes' in tests.
export { ACCESS_LOG_FORMAT } from './routes';

export { TracedRestApi, apiGatewayLogsStatement } from './traced-rest-api';
export {
  API_DEFAULTS,
  HTTP_METHODS,
  type HttpMethod,
  type MockResponse,
  type RouteProps,
  type ThrottleProps,
  type TracedRestApiProps,
} from './props';
// Path parsing and naming helpers (pathId, modelName, ...) are internal: import them from './routes' in tests.
export { ACCESS_LOG_FORMAT } from './routes';

export { TracedRestApi } from './traced-rest-api';
export {
  ApiGatewayAccountLogRole,
  apiGatewayLogsStatement,
  type ApiGatewayAccountLogRoleProps,
} from './account-log-role';
export { BODY_METHODS, HTTP_METHODS, MAX_PATH_SEGMENTS, QUOTA_PERIODS, TRACED_REST_API_INPUTS } from './inputs';
export type {
  HttpMethod,
  MockResponse,
  QuotaPeriod,
  QuotaProps,
  RouteProps,
  ThrottleProps,
  TracedRestApiProps,
} from './props';
// Path parsing and naming helpers (pathId, modelName, ...) are internal: import them from './routes' in tests.
export { ACCESS_LOG_FORMAT } from './routes';

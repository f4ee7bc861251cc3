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
export { ACCESS_LOG_FORMAT, modelName, pathId, pathSegments, sourceArnSuffix } from './routes';

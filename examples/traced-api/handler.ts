// GET /orders/{orderId}: a handler traced by the ADOT layer, with one custom span.
import { trace } from '@opentelemetry/api';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

const tracer = trace.getTracer('orders');

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> =>
  tracer.startActiveSpan('load-order', async (span) => {
    try {
      const orderId = event.pathParameters?.orderId ?? '';
      span.setAttribute('order.id', orderId);
      return { statusCode: 200, body: JSON.stringify({ orderId, status: 'shipped' }) };
    } finally {
      span.end();
    }
  });

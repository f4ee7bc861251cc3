// The app's own handlers: no dependencies, bundled by TracedFunction with esbuild at synth.

interface ApiEvent {
  pathParameters?: Record<string, string | undefined> | null;
}

interface SqsEvent {
  Records: { messageId: string; body: string }[];
}

/** GET /orders/{orderId} */
export async function getOrder(event: ApiEvent): Promise<{ statusCode: number; body: string }> {
  const orderId = event.pathParameters?.orderId ?? '';
  if (!/^[A-Za-z0-9-]{1,64}$/.test(orderId)) {
    return { statusCode: 400, body: JSON.stringify({ error: 'orderId must be 1..64 letters, digits or hyphens' }) };
  }
  return { statusCode: 200, body: JSON.stringify({ orderId, status: 'shipped' }) };
}

/** Order events from the queue: bad records go back (and, after retries, to the dead-letter queue). */
export async function processOrders(event: SqsEvent): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    try {
      const order = JSON.parse(record.body) as { orderId?: unknown };
      if (typeof order.orderId !== 'string') throw new Error('no orderId');
      console.log(JSON.stringify({ message: 'order processed', orderId: order.orderId }));
    } catch {
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

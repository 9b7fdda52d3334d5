import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number };

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

/** 204 No Content, as Freshdesk v2 answers deletes and restores. */
export const noContent = (): HttpResponse => ({ statusCode: 204, body: '' });

/** 204 for a v2 deletion or restore that started an erasure workflow; `Location` names its request. */
export const erasureStarted = (request: { ref: { id: number } }): HttpResponse => ({
  statusCode: 204,
  headers: { location: `/api/v2/privacy/requests/${request.ref.id}` },
  body: '',
});

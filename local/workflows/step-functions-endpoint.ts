import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalExecution, LocalExecutions } from './local-executions.ts';

const seconds = (date?: Date) => (date ? date.getTime() / 1000 : undefined);

function describeExecution(execution: LocalExecution) {
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: seconds(execution.startDate),
    stopDate: seconds(execution.stopDate),
    input: execution.input,
    output: execution.output,
    error: execution.error,
    cause: execution.cause,
  };
}

/**
 * The Step Functions API calls the platform and its operators make (StartExecution, DescribeExecution,
 * StopExecution, ListExecutions), answered in the service's JSON 1.0 protocol over `LocalExecutions`, so
 * the SDK's SFNClient works unchanged against `AWS_ENDPOINT_URL_SFN`.
 */
export async function startStepFunctionsEndpoint(
  executions: LocalExecutions,
): Promise<{ url: string; server: Server }> {
  const existing = (arn: string | undefined) => {
    const execution = executions.describe(arn ?? '');
    if (!execution)
      throw Object.assign(new Error('Execution Does Not Exist'), { name: 'ExecutionDoesNotExist' });
    return execution;
  };
  const operations: Record<string, (body: Record<string, string>) => unknown> = {
    StartExecution: (body) => {
      const execution = executions.start(
        body.stateMachineArn ?? '',
        body.name ?? crypto.randomUUID(),
        body.input ?? '{}',
      );
      return { executionArn: execution.executionArn, startDate: seconds(execution.startDate) };
    },
    DescribeExecution: (body) => describeExecution(existing(body.executionArn)),
    StopExecution: (body) => {
      const execution = existing(body.executionArn);
      execution.abort();
      return { stopDate: seconds(execution.stopDate) };
    },
    ListExecutions: (body) => ({
      executions: executions.list(body.stateMachineArn ?? '', body.statusFilter as never).map((execution) => {
        const {
          input: _input,
          output: _output,
          error: _error,
          cause: _cause,
          ...summary
        } = describeExecution(execution);
        return summary;
      }),
    }),
  };
  const server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const operation = String(request.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(body));
      };
      const handler = operations[operation];
      if (!handler) {
        reply(400, { __type: 'UnknownOperationException', message: `${operation} is not served locally` });
        return;
      }
      try {
        reply(200, handler(text ? (JSON.parse(text) as Record<string, string>) : {}));
      } catch (error) {
        const { name, message } = error as Error;
        reply(400, { __type: name, message });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

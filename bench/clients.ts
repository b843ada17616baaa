/** grpc-js helpers for the benches' set-up and checks (the load comes from h2load; see bench/h2load.ts). */
import { type DescMessage, type MessageShape, create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { HealthCheckRequestSchema, HealthCheckResponseSchema, HealthCheckResponse_ServingStatus } from "../gen/grpc/health/v1/health_pb.js";

export interface Unary {
  call(): Promise<unknown>;
  close(): void;
}

/** A gRPC length-prefixed message: flag 0, 4-byte length, the message (a request body for h2load's -d). */
export function grpcFrame(message: Uint8Array): Buffer {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

export const scriptFor = (name: string) => `function ${name}(ctx, api) {}`;

export function grpcJsUnary<I extends DescMessage, O extends DescMessage>(client: grpc.Client, path: string, input: I, output: O) {
  const serialize = (m: MessageShape<I>) => Buffer.from(toBinary(input, m));
  const deserialize = (b: Buffer) => fromBinary(output, b);
  return (req: MessageShape<I>, md: grpc.Metadata) =>
    new Promise<MessageShape<O>>((resolve, reject) => {
      client.makeUnaryRequest(path, serialize, deserialize, req, md, {}, (err, res) => (err ? reject(err) : resolve(res!)));
    });
}

/** grpc.health.v1.Health/Check over @grpc/grpc-js (h2c, one channel); rejects unless the answer is SERVING. */
export function grpcJsHealth(target: string): Unary {
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  const check = grpcJsUnary(client, "/grpc.health.v1.Health/Check", HealthCheckRequestSchema, HealthCheckResponseSchema);
  const req = create(HealthCheckRequestSchema);
  const call = async () => {
    const res = await check(req, new grpc.Metadata());
    if (res.status !== HealthCheckResponse_ServingStatus.SERVING) throw new Error(`Health/Check on ${target} answered ${res.status}`);
    return res;
  };
  return { call, close: () => client.close() };
}

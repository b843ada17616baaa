import { BinaryReader } from "@bufbuild/protobuf/wire";

/** An error as every test client reports it, whatever the protocol. */
export interface WireError {
  code: number;
  message: string;
  /** zitadel.v1.ErrorDetail ids found among the details. */
  detailIds: string[];
  /** Type names of all details. */
  detailTypes: string[];
}

/**
 * Decodes `grpc-status-details-bin` (google.rpc.Status) by hand, since the
 * grpc-js client has no protobuf-es schema for it: field 3 holds the Any
 * details, each with type_url (1) and value (2).
 */
export function decodeStatusDetails(bytes: Uint8Array): { type: string; value: Uint8Array }[] {
  const reader = new BinaryReader(bytes);
  const details: { type: string; value: Uint8Array }[] = [];
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field !== 3) {
      reader.skip(wireType);
      continue;
    }
    const any = new BinaryReader(reader.bytes());
    let type = "";
    let value: Uint8Array = new Uint8Array();
    while (any.pos < any.len) {
      const [f, w] = any.tag();
      if (f === 1) type = any.string();
      else if (f === 2) value = any.bytes();
      else any.skip(w);
    }
    details.push({ type: type.replace(/^type\.googleapis\.com\//, ""), value });
  }
  return details;
}

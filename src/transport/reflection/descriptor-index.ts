import { toBinary, type DescEnum, type DescExtension, type DescFile, type DescMessage } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";

/** Everything reflection can be asked about, resolved once at startup. */
export interface DescriptorIndex {
  /** Services of the root files only: dependencies are described, not served. */
  readonly services: readonly string[];
  fileByName(name: string): DescFile | undefined;
  fileBySymbol(fullName: string): DescFile | undefined;
  /** undefined when `typeName` is not a known message; an empty map when nothing extends it. */
  extensionsOf(typeName: string): ReadonlyMap<number, DescFile> | undefined;
  /** The serialized FileDescriptorProto; computed on first use, then reused by every stream. */
  bytes(file: DescFile): Uint8Array;
}

export function buildDescriptorIndex(roots: readonly DescFile[]): DescriptorIndex {
  const files = new Map<string, DescFile>();
  const symbols = new Map<string, DescFile>();
  const extensions = new Map<string, Map<number, DescFile>>();
  const pendingExtensions: DescExtension[] = [];
  const encoded = new WeakMap<DescFile, Uint8Array>();

  const addSymbol = (name: string, file: DescFile) => {
    // A name is unique in a valid descriptor pool, so the first file found is the only one.
    if (!symbols.has(name)) symbols.set(name, file);
  };

  const addEnum = (e: DescEnum, file: DescFile) => {
    addSymbol(e.typeName, file);
    // protobuf scopes enum values as siblings of their enum, not as its children.
    const scope = e.parent?.typeName ?? file.proto.package;
    for (const v of e.values) addSymbol(scope ? `${scope}.${v.name}` : v.name, file);
  };

  const addMessage = (m: DescMessage, file: DescFile) => {
    addSymbol(m.typeName, file);
    if (!extensions.has(m.typeName)) extensions.set(m.typeName, new Map());
    for (const f of m.fields) addSymbol(`${m.typeName}.${f.name}`, file);
    for (const o of m.oneofs) addSymbol(`${m.typeName}.${o.name}`, file);
    // protobuf-es hides synthetic map entry messages, but clients may still ask for them.
    for (const nested of m.proto.nestedType) {
      if (nested.options?.mapEntry !== true) continue;
      const entry = `${m.typeName}.${nested.name}`;
      addSymbol(entry, file);
      for (const f of nested.field) addSymbol(`${entry}.${f.name}`, file);
    }
    for (const e of m.nestedEnums) addEnum(e, file);
    for (const nm of m.nestedMessages) addMessage(nm, file);
    for (const x of m.nestedExtensions) addExtension(x, file);
  };

  const addExtension = (x: DescExtension, file: DescFile) => {
    addSymbol(x.typeName, file);
    pendingExtensions.push(x);
  };

  const addFile = (file: DescFile) => {
    const name = file.proto.name;
    if (files.has(name)) return;
    files.set(name, file);
    for (const e of file.enums) addEnum(e, file);
    for (const m of file.messages) addMessage(m, file);
    for (const x of file.extensions) addExtension(x, file);
    for (const s of file.services) {
      addSymbol(s.typeName, file);
      for (const method of s.methods) addSymbol(`${s.typeName}.${method.name}`, file);
    }
    for (const dep of file.dependencies) addFile(dep);
  };

  for (const root of roots) addFile(root);
  // After the walk, so that an extension indexed before its extendee's file still lands.
  for (const x of pendingExtensions) {
    const byNumber = extensions.get(x.extendee.typeName) ?? new Map<number, DescFile>();
    extensions.set(x.extendee.typeName, byNumber);
    if (!byNumber.has(x.number)) byNumber.set(x.number, x.file);
  }

  return {
    services: roots.flatMap((f) => f.services.map((s) => s.typeName)),
    fileByName: (name) => files.get(name),
    fileBySymbol: (fullName) => symbols.get(fullName),
    extensionsOf: (typeName) => extensions.get(typeName),
    bytes(file) {
      let b = encoded.get(file);
      if (!b) {
        b = toBinary(FileDescriptorProtoSchema, file.proto);
        encoded.set(file, b);
      }
      return b;
    },
  };
}

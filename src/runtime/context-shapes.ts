/** A small structural schema, enough to check a trigger context and to describe it. */
export type Shape =
  | { kind: "string" }
  | { kind: "boolean" }
  | { kind: "integer" }
  | { kind: "strings" }
  | { kind: "json" }
  | { kind: "json-object" }
  /** Metadata's value: any JSON, or a string the script gets parsed when it holds JSON. */
  | { kind: "metadata-value" }
  | { kind: "record"; fields: Record<string, Shape>; required?: readonly string[] }
  | { kind: "list"; item: Shape };

const string: Shape = { kind: "string" };
const boolean: Shape = { kind: "boolean" };
const integer: Shape = { kind: "integer" };
const strings: Shape = { kind: "strings" };
export const jsonObject: Shape = { kind: "json-object" };
export const text: Shape = string;

const humanShape: Shape = {
  kind: "record",
  fields: {
    firstName: string,
    lastName: string,
    nickName: string,
    displayName: string,
    avatarKey: string,
    preferredLanguage: string,
    gender: integer,
    email: string,
    isEmailVerified: boolean,
    phone: string,
    isPhoneVerified: boolean,
  },
};

export const userShape: Shape = {
  kind: "record",
  fields: {
    id: string,
    creationDate: string,
    changeDate: string,
    resourceOwner: string,
    sequence: integer,
    state: integer,
    username: string,
    loginNames: strings,
    preferredLoginName: string,
    human: humanShape,
    machine: { kind: "record", fields: { name: string, description: string } },
  },
};

export const externalUserShape: Shape = {
  kind: "record",
  fields: { externalId: string, externalIdpId: string, preferredUsername: string, human: humanShape },
};

export const metadataShape: Shape = {
  kind: "list",
  item: {
    kind: "record",
    fields: {
      key: string,
      value: { kind: "metadata-value" },
      creationDate: string,
      changeDate: string,
      resourceOwner: string,
      sequence: integer,
    },
    required: ["key", "value"],
  },
};

export const userGrantsShape: Shape = {
  kind: "list",
  item: {
    kind: "record",
    fields: {
      id: string,
      projectGrantId: string,
      state: integer,
      userGrantResourceOwner: string,
      userGrantResourceOwnerName: string,
      creationDate: string,
      changeDate: string,
      sequence: integer,
      userId: string,
      userResourceOwner: string,
      roles: strings,
      projectId: string,
      projectName: string,
      orgMetadata: metadataShape,
    },
  },
};

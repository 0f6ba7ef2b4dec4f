/** TypeBox schemas shared by routes: they drive validation, serialization and the OpenAPI document. */
import { Type } from "typebox";
import type { SCOPES } from "../accounts/scopes.js";
import { PASSWORD_MAX_LENGTH, USERNAME_PATTERN } from "../accounts/users.js";

const closed = { additionalProperties: false } as const;

export const ErrorSchema = Type.Object(
  { code: Type.String({ examples: ["UNAUTHENTICATED"] }), message: Type.String() },
  { ...closed, description: "Every error: a stable code and a human message." },
);

export const UserSchema = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    username: Type.String(),
    displayName: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    isAdmin: Type.Boolean(),
    createdAt: Type.String({ format: "date-time" }),
  },
  closed,
);

export const ScopeSchema = Type.Union([
  Type.Literal("read"),
  Type.Literal("upload"),
  Type.Literal("write"),
  Type.Literal("admin"),
]) satisfies { anyOf: { const: (typeof SCOPES)[number] }[] };

export const ApiKeySchema = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    name: Type.String(),
    prefix: Type.String({ description: "First characters of the secret, to tell keys apart." }),
    scopes: Type.Array(ScopeSchema),
    createdAt: Type.String({ format: "date-time" }),
    lastUsedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
    expiresAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
    revokedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  },
  closed,
);

export const UsernameSchema = Type.String({ pattern: USERNAME_PATTERN, maxLength: 64 });
export const PasswordSchema = Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH });

/** Error responses every authenticated route may give. */
export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
} as const;

export { closed };
